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
}
