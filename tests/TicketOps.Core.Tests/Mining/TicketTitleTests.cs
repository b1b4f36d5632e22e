using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public sealed class TicketTitleTests
{
    [Theory]
    [InlineData("Re: Charged twice after upgrading plan", "Charged twice after upgrading plan")]
    [InlineData("FW: RE: [P1] URGENT: Double charge on our card!!", "Double charge on our card")]
    [InlineData("Question: wrong proration amount (BILL-PRO-221)", "Wrong proration amount (BILL-PRO-221)")]
    [InlineData("help!! SSO broken", "SSO broken")]
    [InlineData("Export fails at 99%", "Export fails at 99%")]
    [InlineData("Re: iOS app: notifications don't arrive", "iOS app: notifications don't arrive")]
    [InlineData("Re:", "Re:")]
    public void Clean_drops_mail_and_urgency_noise_but_keeps_the_subject(string subject, string expected) =>
        Assert.Equal(expected, TicketTitle.Clean(subject));

    [Fact]
    public void The_title_most_cases_share_wins_over_the_most_central_misspelt_one()
    {
        string[] mostCentralFirst =
        [
            "Duplicate usres after SCIM sync",
            "Re: Duplicate users after SCIM sync",
            "duplicate users after SCIM sync",
            "Duplicate users after SCIM sync",
            "SCIM creates a second account",
        ];

        Assert.Equal(
            ["Duplicate users after SCIM sync", "Duplicate usres after SCIM sync", "SCIM creates a second account"],
            TicketTitle.ByPrevalence(mostCentralFirst).ToArray());
    }

    [Fact]
    public void Typos_take_the_spelling_most_of_the_group_uses_but_numbers_and_short_words_stay()
    {
        string[] titles =
        [
            "Android app crashes when logging in", "Android app crashes when logging in", "Andorid app crashes when logging in",
            "android crash after update 7.4.2", "android crash after update 7.4.2", "android crash after update 7.5.1",
            "Export slow", "Export slow", "Expert slow",
        ];

        Func<string, string> spelling = TicketTitle.CommonSpelling(titles);

        Assert.Equal("Android app crashes when logging in", spelling("Re: Andorid app crashes when logging in"));
        Assert.Equal("Android app crashes when logging in", spelling("android app crashes when logging in"));
        Assert.Equal("Android crash after update 7.5.1", spelling("android crash after update 7.5.1")); // other digits: another version
        Assert.Equal("Expert slow", spelling("Expert slow")); // too short to call a typo
        Assert.Equal("Something else entirely", spelling("Something else entirely"));
    }
}
