using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public class CaseSpecificsTests
{
    [Theory]
    [InlineData("Sign-in fails with AADSTS50011 after the move", "code:AADSTS50011")]
    [InlineData("Setup stops at 0x80070005 on step 3", "code:0X80070005")]
    [InlineData("The job dies with a NullPointerException in the mapper", "code:NULLPOINTEREXCEPTION")]
    [InlineData("Login page shows ERR_SAML_CLOCK_SKEW for everyone", "code:ERR_SAML_CLOCK_SKEW")]
    [InlineData("the writer got SQLITE_BUSY twice", "code:SQLITE_BUSY")]
    [InlineData("dashboard logs PERF-DASH-TIMEOUT then gives up", "code:PERF-DASH-TIMEOUT")]
    [InlineData("the API answers with HTTP 429 after a minute", "http:429")]
    public void Codes_in_the_text_are_specifics(string text, string expected) =>
        Assert.Contains(expected, CaseSpecifics.FromText(text));

    [Theory]
    [InlineData("Our CSV export in UTF-8 looks wrong since the IT-team update")]
    [InlineData("URGENT the PDF is blurry on the SSO page")]
    public void Ordinary_words_abbreviations_and_short_hyphenations_are_not(string text) =>
        Assert.Empty(CaseSpecifics.FromText(text));
}
