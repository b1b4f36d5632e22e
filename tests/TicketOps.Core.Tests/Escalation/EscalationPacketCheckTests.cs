using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Tests.Knowledge;

namespace TicketOps.Core.Tests.Escalation;

public sealed class EscalationPacketCheckTests
{
    private static readonly KnowledgeArticle s_template = new()
    {
        Id = "IT-0001",
        Type = KnowledgeType.Template,
        Title = "Investigating SSO and login failures",
        Owner = "identity",
        Sections =
        [
            new("Evidence to gather first", "Start here:\n\n1. The exact error code from the login audit log for one affected user\n   (for example `ERR_SAML_CLOCK_SKEW`).\n2. A captured SAML response for one failed attempt.\n3. The SSO connection settings: certificate thumbprint, allowed clock skew."),
            new("Escalation packet", "- Workspace id, SSO connection id and identity provider.\n- What was checked and ruled out, in order, and the current hypothesis.\n- The open question for engineering, in one sentence.\n- Customer impact: how many users cannot work."),
        ],
    };

    private static SupportCase Case(params string[] evidence)
    {
        SupportCase supportCase = SupportCases.Case("C1", "2026-03-02 08:00");
        supportCase.Component = "SAML SSO";
        supportCase.Platform = "Okta";
        supportCase.EvidenceSteps = [.. evidence];
        return supportCase;
    }

    private static EscalationPacket Packet(SupportCase supportCase, string? hypothesis = "IdP clock drift", string? question = "Why is a 20 s skew rejected?", string? impact = "40 users, no workaround", params string[] added) =>
        EscalationPacket.For(supportCase, new EscalationDraft(hypothesis, question, impact, added), "IT-0001");

    private static readonly string[] s_fullEvidence =
    [
        "Confirm the error code in the login audit log for an affected user",
        "Compare the NotBefore timestamps of a captured SAML response with UTC",
        "Check whether the allowed clock skew setting was changed on the SSO connection",
        "Workspace W-1 uses SSO connection 7 with identity provider Okta",
    ];

    [Fact]
    public void Items_are_list_items_with_their_continuation_lines_and_the_introduction_is_not_an_item()
    {
        IReadOnlyList<string> items = EscalationPacketCheck.Items(s_template.Section("Evidence to gather first"));

        Assert.Equal(3, items.Count);
        Assert.Equal("The exact error code from the login audit log for one affected user (for example `ERR_SAML_CLOCK_SKEW`).", items[0]);
        Assert.Equal(["One paragraph.", "Another, without a list."], EscalationPacketCheck.Items("One paragraph.\n\nAnother, without a list."));
    }

    [Fact]
    public void Packet_is_built_from_the_case_and_the_draft()
    {
        SupportCase supportCase = Case("Checked the audit log");
        supportCase.Version = "4.2";

        EscalationPacket packet = Packet(supportCase, added: ["  HAR file attached  ", " "]);

        Assert.Equal("test:C1", packet.CaseReference);
        Assert.Equal("Case C1", packet.Summary);
        Assert.Equal(["SSO/Auth", "SAML SSO", "4.2", "Okta"], packet.Environment.Values());
        Assert.Equal(["Checked the audit log", "HAR file attached"], packet.Evidence);
        Assert.Equal("IT-0001", packet.TemplateId);
    }

    [Fact]
    public void A_packet_whose_evidence_shows_every_template_item_and_whose_fields_are_filled_is_complete()
    {
        EscalationCheckResult check = EscalationPacketCheck.Check(Packet(Case(s_fullEvidence)), s_template);

        Assert.True(check.IsComplete, check.Describe());
    }

    [Theory]
    [InlineData("", "q", "i", MissingPieceKind.Hypothesis)]
    [InlineData("h", " ", "i", MissingPieceKind.OpenQuestion)]
    [InlineData("h", "q", null, MissingPieceKind.CustomerImpact)]
    public void Each_empty_field_is_named(string? hypothesis, string? question, string? impact, MissingPieceKind expected)
    {
        EscalationCheckResult check = EscalationPacketCheck.Check(Packet(Case(s_fullEvidence), hypothesis, question, impact), s_template);

        MissingPiece missing = Assert.Single(check.Missing);
        Assert.Equal(expected, missing.Kind);
    }

    [Fact]
    public void No_evidence_at_all_is_named_and_every_template_item_the_evidence_does_not_show_is_named_in_template_order()
    {
        EscalationCheckResult check = EscalationPacketCheck.Check(Packet(Case()), s_template);

        Assert.Equal(MissingPieceKind.Evidence, check.Missing[0].Kind);
        Assert.Equal(
            ["Evidence to gather first", "Evidence to gather first", "Evidence to gather first", "Escalation packet"],
            check.Missing.Where(m => m.Kind == MissingPieceKind.TemplateItem).Select(m => m.Section));
        Assert.Contains("Escalation packet: Workspace id, SSO connection id and identity provider.", check.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_is_shown_by_one_evidence_line_sharing_two_stems_not_by_terms_spread_over_several_lines()
    {
        // "audit" and "log" in different lines do not show "the error code from the login audit log";
        // the stemmed "captured SAML responses" does show "a captured SAML response".
        SupportCase spread = Case("Read the audit trail", "Looked at the log", "Captured SAML responses for two users", "allowed clock skew is 60 s on the SSO connection", "Workspace W-1, identity provider Okta");

        EscalationCheckResult check = EscalationPacketCheck.Check(Packet(spread), s_template);

        MissingPiece missing = Assert.Single(check.Missing);
        Assert.StartsWith("The exact error code from the login audit log", missing.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Instruction_words_alone_do_not_show_an_item()
    {
        SupportCase vague = Case("Checked whether one thing was confirmed first", "Workspace W-1, identity provider Okta");

        EscalationCheckResult check = EscalationPacketCheck.Check(Packet(vague, added: ["Compared the exact example"]), s_template);

        Assert.Equal(3, check.Missing.Count(m => m.Section == "Evidence to gather first"));
    }

    [Fact]
    public void Added_evidence_completes_a_packet_and_without_a_template_only_the_fields_and_evidence_are_checked()
    {
        EscalationPacket completed = Packet(Case(s_fullEvidence[..2]), added: [s_fullEvidence[2], s_fullEvidence[3]]);

        Assert.True(EscalationPacketCheck.Check(completed, s_template).IsComplete);
        Assert.True(EscalationPacketCheck.Check(Packet(Case("anything")), template: null).IsComplete);
    }
}
