using TicketOps.Core.Import;

namespace TicketOps.Core.Tests.Import;

public sealed class PersonalDataRedactorTests
{
    [Theory]
    [InlineData("write to jane.doe+billing@example.co.uk please", "write to [email] please")]
    [InlineData("Contact: ops-team@sub.example.com.", "Contact: [email].")]
    public void Email_addresses_are_redacted(string input, string expected) =>
        Assert.Equal(expected, PersonalDataRedactor.Redact(input));

    [Theory]
    [InlineData("call me on +44 20 7946 0958 today", "call me on [phone] today")]
    [InlineData("phone (555) 123-4567 anytime", "phone [phone] anytime")]
    [InlineData("mobile 555-123-4567", "mobile [phone]")]
    [InlineData("tel +1.415.555.0100", "tel [phone]")]
    [InlineData("ring 0049 30 1234 5678", "ring [phone]")]
    public void Phone_numbers_are_redacted(string input, string expected) =>
        Assert.Equal(expected, PersonalDataRedactor.Redact(input));

    [Theory]
    [InlineData("key sk_live_51Hq8Xb2eZvKYlo2C0000 leaked", "key [secret] leaked")]
    [InlineData("OPENAI sk-proj-abcdefghijklmnopqrstu", "OPENAI [secret]")]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ012345 in log", "[secret] in log")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE ok", "aws [secret] ok")]
    [InlineData("Authorization: Bearer abc.def-123_456789xyz", "Authorization: Bearer [token]")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end", "jwt [token] end")]
    [InlineData("api_key=9f8e7d6c5b4a3210 and password: hunter22", "api_key=[secret] and password: [secret]")]
    [InlineData("my token is q8w7e6r5t4", "my token is [secret]")]
    public void Api_keys_tokens_and_passwords_are_redacted(string input, string expected) =>
        Assert.Equal(expected, PersonalDataRedactor.Redact(input));

    [Fact]
    public void Credentials_in_urls_are_redacted_but_the_host_is_kept() =>
        Assert.Equal("fetch https://[credentials]@api.example.com/v1", PersonalDataRedactor.Redact("fetch https://admin:s3cr3t@api.example.com/v1"));

    [Fact]
    public void Private_key_blocks_are_redacted() =>
        Assert.Equal("key: [private key] end", PersonalDataRedactor.Redact("key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY----- end"));

    [Theory]
    [InlineData("card 4111 1111 1111 1111 declined", "card [card] declined")]
    [InlineData("card 4111-1111-1111-1111", "card [card]")]
    public void Card_numbers_passing_the_luhn_check_are_redacted(string input, string expected) =>
        Assert.Equal(expected, PersonalDataRedactor.Redact(input));

    [Fact]
    public void Long_numbers_failing_the_luhn_check_are_kept() =>
        Assert.Equal("order 4111111111111112", PersonalDataRedactor.Redact("order 4111111111111112"));

    [Fact]
    public void Ip_addresses_are_redacted() =>
        Assert.Equal("from [ip] via [ip]", PersonalDataRedactor.Redact("from 203.0.113.42 via 10.0.0.1"));

    [Fact]
    public void Iban_numbers_are_redacted() =>
        Assert.Equal("refund to [iban] please", PersonalDataRedactor.Redact("refund to DE89 3704 0044 0532 0130 00 please"));

    [Theory]
    [InlineData("Error 0x80070005 after upgrade to v4.12.3")]
    [InlineData("ERR_SSL_PROTOCOL_ERROR and HTTP 502 from org.apache.hadoop.fs.FileSystem")]
    [InlineData("since 2024-03-05 10:15:30 build 20240305.1")]
    [InlineData("ticket #123456 version 10.0.15 port 8443")]
    [InlineData("WH-4031 retry after 3600 seconds, limit 1000 per minute")]
    public void Technical_identifiers_dates_and_versions_are_left_alone(string input) =>
        Assert.Equal(input, PersonalDataRedactor.Redact(input));
}
