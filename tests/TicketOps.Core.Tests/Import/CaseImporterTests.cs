using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Import;

public abstract class CaseImporterTests(DatabaseProvider provider) : IDisposable
{
    private readonly TempDataDirectory _temp = new(provider);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Csv_columns_are_mapped_by_a_mapping_file()
    {
        string csv = _temp.WriteFile("helpdesk.csv", """
            Ticket ID,Subject,Body,Opened,Area,Checks,Escalated
            HD-1,SSO login loops,"Users bounce between IdP and app, see ERR_SAML_CLOCK_SKEW",05/03/2025 09:30,SSO,checked IdP clock|compared SAML NotBefore,no
            HD-2,Export stuck,"CSV export stays at 99%",06/03/2025 14:00,Data export,,yes
            """);
        string mappingFile = _temp.WriteFile("mapping.json", """
            {
              "source": "helpdesk",
              "fields": { "external_id": "Ticket ID", "description": "Body", "created_at": "Opened", "product": "Area",
                          "evidence_steps": "Checks", "engineering_involved": "Escalated" },
              "date_format": "dd/MM/yyyy HH:mm"
            }
            """);
        (FieldMapping? mapping, string? error) = FieldMapping.Load(mappingFile);
        Assert.Null(error);

        ImportResult result = await ImportAsync([csv], new ImportOptions { Mapping = mapping! });

        Assert.True(result.Succeeded, string.Join("\n", result.Invalid));
        Assert.Equal(2, result.Inserted);
        SupportCase first = await SingleAsync("helpdesk", "HD-1");
        Assert.Equal("SSO login loops", first.Title);
        Assert.Contains("ERR_SAML_CLOCK_SKEW", first.Description, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2025, 3, 5, 9, 30, 0, DateTimeKind.Utc), first.CreatedAt);
        Assert.Equal("SSO", first.Product);
        Assert.Equal(["checked IdP clock", "compared SAML NotBefore"], first.EvidenceSteps);
        Assert.False(first.EngineeringInvolved);
        Assert.True((await SingleAsync("helpdesk", "HD-2")).EngineeringInvolved);
    }

    [Fact]
    public async Task A_field_mapped_to_an_empty_column_is_not_read_even_when_an_alias_matches()
    {
        string csv = _temp.WriteFile("aliases.csv", "id,subject,created,category\nA-1,Login fails,2025-01-01T00:00:00Z,urgent\n");
        var mapping = new FieldMapping();
        Assert.Null(mapping.AddPairs(["product="]));

        await ImportAsync([csv], new ImportOptions { Mapping = mapping });

        Assert.Null((await SingleAsync("csv", "A-1")).Product);
    }

    [Fact]
    public async Task Jsonl_in_the_interchange_format_keeps_every_field()
    {
        string jsonl = _temp.WriteFile("cases.jsonl", """
            {"external_id":"C-7","source":"demo","title":"Webhook retries","description":"Deliveries fail with WH-4031","product":"Webhooks","component":"Delivery","version":"v4.12.3","platform":"Linux","team":"Tier 2","status":"solved","created_at":"2025-01-01T10:00:00Z","assigned_at":"2025-01-01T10:20:00Z","first_evidence_at":"2025-01-01T12:00:00Z","escalated_at":"2025-01-02T09:00:00Z","resolved_at":"2025-01-03T09:00:00Z","evidence_steps":["pulled delivery log","checked TLS chain"],"cause":"Expired intermediate certificate","resolution":"Customer renewed the chain","engineering_involved":true,"escalation_returned":true,"linked_knowledge":["PB-12"],"tags":["tls"],"comments":[{"author":"customer","public":true,"created_at":"2025-01-01T11:00:00Z","body":"still failing"}],"_eval_family":"webhook-tls"}
            """);

        ImportResult result = await ImportAsync([jsonl], new ImportOptions());

        Assert.True(result.Succeeded);
        SupportCase stored = await SingleAsync("demo", "C-7");
        Assert.Equal(CaseStatus.Resolved, stored.Status);
        Assert.Equal("v4.12.3", stored.Version);
        Assert.Equal(new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc), stored.FirstEvidenceAt);
        Assert.Equal(new DateTime(2025, 1, 2, 9, 0, 0, DateTimeKind.Utc), stored.EscalatedAt);
        Assert.Equal(["pulled delivery log", "checked TLS chain"], stored.EvidenceSteps);
        Assert.True(stored.EngineeringInvolved);
        Assert.True(stored.EscalationReturnedForMissingContext);
        Assert.Equal(["PB-12"], stored.LinkedKnowledgeIds);
        CaseComment comment = Assert.Single(stored.Comments);
        Assert.Equal("customer", comment.Author);
        Assert.Equal("still failing", comment.Body);
    }

    [Fact]
    public async Task Json_array_properties_are_mapped_by_dotted_path()
    {
        string json = _temp.WriteFile("export.json", """
            { "records": [
              { "ref": 101, "info": { "headline": "Mobile app crashes on start", "opened": "2025-02-01T08:00:00+02:00" } }
            ] }
            """);
        var mapping = new FieldMapping();
        Assert.Null(mapping.AddPairs(["external_id=ref", "title=info.headline", "created_at=info.opened"]));

        ImportResult result = await ImportAsync([json], new ImportOptions { Mapping = mapping, Source = "legacy" });

        Assert.True(result.Succeeded, string.Join("\n", result.Invalid));
        SupportCase stored = await SingleAsync("legacy", "101");
        Assert.Equal("Mobile app crashes on start", stored.Title);
        Assert.Equal(new DateTime(2025, 2, 1, 6, 0, 0, DateTimeKind.Utc), stored.CreatedAt);
    }

    [Fact]
    public async Task Zendesk_tickets_are_read_with_comments_metrics_custom_fields_and_escalation_tags()
    {
        string export = _temp.WriteFile("zendesk.json", """
            {
              "tickets": [
                {
                  "id": 35436, "subject": "SAML login fails after IdP change", "description": "We get ERR_SAML_AUDIENCE since Monday",
                  "status": "solved", "requester_id": 20978392, "created_at": "2025-04-01T09:00:00Z", "updated_at": "2025-04-03T10:00:00Z",
                  "tags": ["sso", "escalated_to_engineering"],
                  "custom_fields": [ { "id": 360001, "value": "SSO" }, { "id": 360002, "value": "v5.2.0" } ],
                  "metric_set": { "initially_assigned_at": "2025-04-01T09:15:00Z", "solved_at": "2025-04-02T16:00:00Z" },
                  "comments": [
                    { "id": 1, "author_id": 20978392, "public": true, "body": "We get ERR_SAML_AUDIENCE since Monday", "created_at": "2025-04-01T09:00:00Z" },
                    { "id": 2, "author_id": 555, "public": false, "body": "Audience URI differs from entity id", "created_at": "2025-04-01T11:00:00Z" },
                    { "id": 3, "author_id": 20978392, "public": true, "body": "Thanks, fixed. Reach me at ana@example.org", "created_at": "2025-04-02T15:00:00Z" }
                  ]
                }
              ]
            }
            """);
        var mapping = new FieldMapping();
        Assert.Null(mapping.AddPairs(["product=custom_fields.360001", "version=custom_fields.360002"]));

        ImportResult result = await ImportAsync([export], new ImportOptions { Mapping = mapping });

        Assert.True(result.Succeeded, string.Join("\n", result.Invalid));
        SupportCase stored = await SingleAsync("zendesk", "35436");
        Assert.Equal("SAML login fails after IdP change", stored.Title);
        Assert.Equal("SSO", stored.Product);
        Assert.Equal("v5.2.0", stored.Version);
        Assert.Equal(new DateTime(2025, 4, 1, 9, 15, 0, DateTimeKind.Utc), stored.AssignedAt);
        Assert.Equal(new DateTime(2025, 4, 2, 16, 0, 0, DateTimeKind.Utc), stored.ResolvedAt);
        Assert.Equal(CaseStatus.Resolved, stored.Status);
        Assert.True(stored.EngineeringInvolved);
        Assert.Equal(2, stored.Comments.Count);
        Assert.Equal(("agent", false), (stored.Comments[0].Author, stored.Comments[0].Public));
        Assert.Equal("customer", stored.Comments[1].Author);
        Assert.Equal("Thanks, fixed. Reach me at [email]", stored.Comments[1].Body);
    }

    [Fact]
    public async Task Zendesk_export_with_one_ticket_a_line_is_read()
    {
        string export = _temp.WriteFile("zendesk-full-export.json",
            """{"id": 1, "subject": "Billing page blank", "description": "Blank page", "status": "open", "requester_id": 9, "created_at": "2025-05-01T09:00:00Z", "via": {"channel": "email"}}""" + "\n"
            + """{"id": 2, "subject": "Invoice PDF empty", "description": "Empty PDF", "status": "closed", "requester_id": 9, "created_at": "2025-05-02T09:00:00Z", "updated_at": "2025-05-04T09:00:00Z", "via": {"channel": "web"}}""" + "\n");

        ImportResult result = await ImportAsync([export], new ImportOptions());

        Assert.True(result.Succeeded, string.Join("\n", result.Invalid));
        Assert.Equal(2, result.Inserted);
        SupportCase closed = await SingleAsync("zendesk", "2");
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Equal(new DateTime(2025, 5, 4, 9, 0, 0, DateTimeKind.Utc), closed.ResolvedAt);
        // Zendesk's updated_at is the source time that orders versions of the ticket.
        Assert.Equal(new DateTime(2025, 5, 4, 9, 0, 0, DateTimeKind.Utc), closed.SourceUpdatedAt);
        Assert.Null((await SingleAsync("zendesk", "1")).SourceUpdatedAt);
    }

    [Fact]
    public async Task Jira_issues_are_read_with_components_resolution_comments_links_and_document_descriptions()
    {
        string export = _temp.WriteFile("jira.json", """
            {
              "startAt": 0, "maxResults": 50, "total": 2,
              "issues": [
                {
                  "key": "SUP-12",
                  "fields": {
                    "summary": "NullPointerException in org.example.sync.Worker",
                    "description": "Stack trace attached, started with 3.4.1",
                    "project": { "key": "SUP", "name": "Integrations" },
                    "components": [ { "name": "Salesforce connector" } ],
                    "versions": [ { "name": "3.4.1" } ],
                    "status": { "name": "Resolved" },
                    "resolution": { "name": "Fixed" },
                    "created": "2025-06-01T10:15:30.000+0200",
                    "updated": "2025-06-03T09:30:00.000+0200",
                    "resolutiondate": "2025-06-03T08:00:00.000+0000",
                    "reporter": { "accountId": "cust-1" },
                    "comment": { "comments": [
                      { "author": { "accountId": "agent-7" }, "body": "Reproduced on 3.4.1", "created": "2025-06-01T12:00:00.000+0000" }
                    ] },
                    "issuelinks": [
                      { "type": { "name": "Duplicate" }, "outwardIssue": { "key": "SUP-3" } },
                      { "type": { "name": "Escalation" }, "outwardIssue": { "key": "ENG-88" } }
                    ]
                  }
                },
                {
                  "key": "SUP-13",
                  "fields": {
                    "summary": "Sync stalls",
                    "description": { "type": "doc", "version": 1, "content": [
                      { "type": "paragraph", "content": [ { "type": "text", "text": "Sync stalls at 50%" } ] },
                      { "type": "paragraph", "content": [ { "type": "text", "text": "after token refresh" } ] } ] },
                    "status": { "name": "In Progress" },
                    "created": "2025-06-02T10:00:00.000+0000"
                  }
                }
              ]
            }
            """);

        ImportResult result = await ImportAsync([export], new ImportOptions());

        Assert.True(result.Succeeded, string.Join("\n", result.Invalid));
        SupportCase first = await SingleAsync("jira", "SUP-12");
        Assert.Equal("Integrations", first.Product);
        Assert.Equal("Salesforce connector", first.Component);
        Assert.Equal("3.4.1", first.Version);
        Assert.Equal("Fixed", first.Resolution);
        Assert.Equal(new DateTime(2025, 6, 1, 8, 15, 30, DateTimeKind.Utc), first.CreatedAt);
        Assert.Equal(new DateTime(2025, 6, 3, 8, 0, 0, DateTimeKind.Utc), first.ResolvedAt);
        Assert.Equal(new DateTime(2025, 6, 3, 7, 30, 0, DateTimeKind.Utc), first.SourceUpdatedAt);
        Assert.Contains("link:duplicate:SUP-3", first.Tags);
        Assert.True(first.EngineeringInvolved);
        Assert.Equal("Reproduced on 3.4.1", Assert.Single(first.Comments).Body);
        SupportCase second = await SingleAsync("jira", "SUP-13");
        Assert.Equal("Sync stalls at 50%\nafter token refresh", second.Description);
        Assert.Equal(CaseStatus.Open, second.Status);
    }

    [Fact]
    public async Task Zendesk_group_changes_in_audits_become_handoffs_with_the_organization_and_problem_ticket()
    {
        string export = _temp.WriteFile("zendesk-audits.json", """
            { "tickets": [ {
                "id": 7001, "subject": "Webhook deliveries fail", "description": "HTTP 410 on every delivery", "status": "solved",
                "requester_id": 1, "organization_id": 99123, "problem_id": 7000, "created_at": "2025-04-01T09:00:00Z", "updated_at": "2025-04-02T09:00:00Z",
                "audits": [
                  { "created_at": "2025-04-01T09:00:00Z", "events": [ { "type": "Create", "field_name": "group_id", "value": "11", "value_name": "Tier 1 EMEA" } ] },
                  { "created_at": "2025-04-01T11:00:00Z", "events": [ { "type": "Change", "field_name": "assignee_id", "value": "5" } ] },
                  { "created_at": "2025-04-01T12:00:00Z", "events": [ { "type": "Change", "field_name": "group_id", "value": "12", "value_name": "Tier 2 EMEA", "previous_value": "11" } ] },
                  { "created_at": "2025-04-01T15:00:00Z", "events": [ { "type": "Change", "field_name": "group_id", "value": "11", "value_name": "Tier 1 EMEA", "previous_value": "12" } ] }
                ] } ] }
            """);

        ImportResult result = await ImportAsync([export], new ImportOptions());

        Assert.True(result.Succeeded, string.Join("\n", result.Invalid));
        SupportCase stored = await SingleAsync("zendesk", "7001");
        Assert.Equal("99123", stored.Customer);
        Assert.Equal("7000", stored.IncidentId);
        Assert.Equal(["Tier 1 EMEA", "Tier 2 EMEA", "Tier 1 EMEA"], stored.Handoffs.Select(h => h.Team));
        Assert.Equal([OwnershipDepth.Frontline, OwnershipDepth.L2, OwnershipDepth.Frontline], stored.Handoffs.Select(h => h.Depth!.Value));
        Assert.Equal(2, OwnershipDepths.OwnerChanges(stored.Handoffs));
        Assert.Equal(OwnershipDepth.Incident, OwnershipDepths.FinalDepth(stored));
    }

    [Fact]
    public async Task Jira_changelog_team_and_status_changes_become_handoffs_and_an_incident_link_is_kept()
    {
        string export = _temp.WriteFile("jira-changelog.json", """
            { "issues": [ {
                "key": "SUP-40",
                "fields": { "summary": "Export times out", "status": { "name": "Done" }, "created": "2025-06-01T10:00:00.000+0000",
                            "resolutiondate": "2025-06-04T10:00:00.000+0000",
                            "issuelinks": [ { "type": { "name": "Incident" }, "inwardIssue": { "key": "INC-7" } } ] },
                "changelog": { "histories": [
                  { "created": "2025-06-01T10:05:00.000+0000", "items": [ { "field": "Assignment group", "fromString": null, "toString": "L1 Support" } ] },
                  { "created": "2025-06-01T13:00:00.000+0000", "items": [ { "field": "assignee", "fromString": "Ann", "toString": "Bob" } ] },
                  { "created": "2025-06-02T09:00:00.000+0000", "items": [ { "field": "status", "fromString": "Open", "toString": "Escalated to Engineering" } ] }
                ] } } ] }
            """);

        ImportResult result = await ImportAsync([export], new ImportOptions());

        Assert.True(result.Succeeded, string.Join("\n", result.Invalid));
        SupportCase stored = await SingleAsync("jira", "SUP-40");
        Assert.Equal("INC-7", stored.IncidentId);
        Assert.Equal([("L1 Support", OwnershipDepth.Frontline), ("Escalated to Engineering", OwnershipDepth.Engineering)], stored.Handoffs.Select(h => (h.Team, h.Depth!.Value)));
        Assert.DoesNotContain(stored.Handoffs, h => h.Team.Contains("Bob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handoff_without_a_team_or_with_an_unknown_tier_is_an_error_naming_the_field()
    {
        string jsonl = _temp.WriteFile("handoffs.jsonl",
            """{"external_id": "H-1", "title": "t", "created_at": "2025-01-01T00:00:00Z", "customer": "acme", "handoffs": [{"at": "2025-01-01T01:00:00Z", "team": "Tier 1"}, {"at": "2025-01-01T02:00:00Z", "team": "Tier 2", "tier": "l2"}]}""" + "\n"
            + """{"external_id": "H-2", "title": "t", "created_at": "2025-01-01T00:00:00Z", "handoffs": [{"at": "2025-01-01T01:00:00Z"}, {"at": "2025-01-01T02:00:00Z", "team": "X", "tier": "tier 9"}]}""" + "\n");

        ImportResult result = await ImportAsync([jsonl], new ImportOptions());

        RecordFailure failure = Assert.Single(result.Invalid);
        Assert.Equal(2, failure.Location.Line);
        Assert.Equal(["handoffs", "handoffs"], failure.Errors.Select(e => e.Field));
        Assert.Contains("names no team", failure.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'tier 9'", failure.Errors[1].Message, StringComparison.Ordinal);
        await using TicketOpsDbContext db = _temp.CreateContext();
        Assert.Equal(0, await db.Cases.CountAsync());
    }

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing()
    {
        string jsonl = _temp.WriteFile("cases.jsonl", Line("A-1", "First") + Line("A-2", "Second"));
        await ImportAsync([jsonl], new ImportOptions());
        string before = await SnapshotAsync();

        ImportResult again = await ImportAsync([jsonl], new ImportOptions());

        Assert.True(again.Succeeded);
        Assert.Equal((0, 0, 2), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_changed_record_updates_the_stored_case_in_place()
    {
        await ImportAsync([_temp.WriteFile("v1.jsonl", Line("A-1", "Old title"))], new ImportOptions());

        ImportResult result = await ImportAsync([_temp.WriteFile("v2.jsonl", Line("A-1", "New title"))], new ImportOptions());

        Assert.Equal((0, 1, 0), (result.Inserted, result.Updated, result.Unchanged));
        await using TicketOpsDbContext db = _temp.CreateContext();
        SupportCase stored = Assert.Single(await db.Cases.ToListAsync());
        Assert.Equal("New title", stored.Title);
    }

    [Fact]
    public async Task An_invalid_record_names_file_line_and_field_and_nothing_is_written()
    {
        await ImportAsync([_temp.WriteFile("seed.jsonl", Line("S-1", "Already there"))], new ImportOptions());
        string before = await SnapshotAsync();
        string csv = _temp.WriteFile("bad.csv", """
            external_id,title,created_at
            B-1,Fine,2025-01-01T00:00:00Z
            B-2,Bad date,yesterday
            B-3,,2025-01-02T00:00:00Z
            """);

        ImportResult result = await ImportAsync([csv], new ImportOptions());

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Invalid.Count);
        Assert.Equal($"{csv}:3 (B-2): field 'created_at': 'yesterday' is not a timestamp; expected an ISO 8601 timestamp such as 2025-03-04T10:15:00Z.", result.Invalid[0].ToString());
        Assert.Equal(4, result.Invalid[1].Location.Line);
        Assert.Equal("title", Assert.Single(result.Invalid[1].Errors).Field);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_broken_jsonl_line_is_reported_with_its_line_number()
    {
        string jsonl = _temp.WriteFile("broken.jsonl", Line("A-1", "ok") + "{\"external_id\": \"A-2\", \"title\": \n" + Line("A-3", "ok"));

        ImportResult result = await ImportAsync([jsonl], new ImportOptions());

        Assert.False(result.Succeeded);
        RecordFailure failure = Assert.Single(result.Invalid);
        Assert.Equal(2, failure.Location.Line);
        Assert.Contains("not valid JSON", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_before_creation_and_returned_escalations_that_never_happened_are_refused()
    {
        string jsonl = _temp.WriteFile("odd.jsonl",
            """{"external_id":"X-1","title":"t","created_at":"2025-01-02T00:00:00Z","resolved_at":"2025-01-01T00:00:00Z"}""" + "\n"
            + """{"external_id":"X-2","title":"t","created_at":"2025-01-02T00:00:00Z","escalation_returned":true}""" + "\n");

        ImportResult result = await ImportAsync([jsonl], new ImportOptions());

        Assert.Equal(["resolved_at", "escalation_returned"], result.Invalid.Select(f => Assert.Single(f.Errors).Field));
    }

    [Fact]
    public async Task What_the_receiving_team_asked_for_is_imported_redacted_from_json_and_csv_and_an_unknown_kind_is_named()
    {
        string jsonl = _temp.WriteFile("asks.jsonl",
            """{"external_id":"R-1","source":"asks","title":"t","created_at":"2025-01-02T00:00:00Z","escalated_at":"2025-01-03T00:00:00Z","escalation_returned":true,"escalation_asks":[{"kind":"missing_evidence","item":"HAR file, send it to ops@example.com"},{"kind":"unclear_ownership"}]}""" + "\n"
            + """{"external_id":"R-2","title":"t","created_at":"2025-01-02T00:00:00Z","escalated_at":"2025-01-03T00:00:00Z","escalation_returned":true,"escalation_asks":[{"kind":"blame"}]}""" + "\n");
        string csv = _temp.WriteFile("asks.csv", "id,title,created,escalated_at,escalation_returned,escalation_asks\nR-3,t,2025-01-02T00:00:00Z,2025-01-03T00:00:00Z,true,missing_evidence|audit log line; ownership\n");

        ImportResult json = await ImportAsync([jsonl], new ImportOptions { SkipInvalid = true, RejectsPath = System.IO.Path.Combine(_temp.Path, "rejects.jsonl") });
        ImportResult fromCsv = await ImportAsync([csv], new ImportOptions());

        Assert.Equal("escalation_asks", Assert.Single(Assert.Single(json.Invalid).Errors).Field);
        Assert.Contains("kind 'blame'", Assert.Single(json.Invalid).ToString(), StringComparison.Ordinal);
        SupportCase first = await SingleAsync("asks", "R-1");
        Assert.Equal([EscalationAskKind.MissingEvidence, EscalationAskKind.UnclearOwnership], first.EscalationAsks.Select(a => a.Kind));
        Assert.DoesNotContain("ops@example.com", first.EscalationAsks[0].Item, StringComparison.Ordinal);
        Assert.True(fromCsv.Succeeded, string.Join("\n", fromCsv.Invalid));
        SupportCase third = await SingleAsync("csv", "R-3");
        Assert.Equal([("audit log line", EscalationAskKind.MissingEvidence), ((string?)null, EscalationAskKind.UnclearOwnership)], third.EscalationAsks.Select(a => (a.Item, a.Kind)));
    }

    [Fact]
    public async Task Skip_invalid_imports_the_rest_and_keeps_rejects_with_reasons_and_original_text()
    {
        string csv = _temp.WriteFile("mixed.csv", """
            external_id,title,created_at
            M-1,Good one,2025-01-01T00:00:00Z
            M-2,No date,
            M-3,Good two,2025-01-03T00:00:00Z
            """);
        string rejects = Path.Combine(_temp.Path, "rejects", "mixed.rejects.jsonl");

        ImportResult result = await ImportAsync([csv], new ImportOptions { SkipInvalid = true, RejectsPath = rejects });

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Inserted);
        Assert.Equal(rejects, result.RejectsFile);
        string reject = Assert.Single(File.ReadAllLines(rejects));
        using var json = System.Text.Json.JsonDocument.Parse(reject);
        Assert.Equal(3, json.RootElement.GetProperty("line").GetInt32());
        Assert.Contains("created_at", json.RootElement.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("M-2,No date,", json.RootElement.GetProperty("raw").GetString());
    }

    [Fact]
    public async Task Personal_data_is_redacted_before_it_is_stored()
    {
        string jsonl = _temp.WriteFile("pii.jsonl",
            """{"external_id":"P-1","title":"Call +1 415 555 0100","description":"mail bob@example.com, key sk_live_abcdefgh12345678","created_at":"2025-01-01T00:00:00Z","resolution":"rotated token=abcd1234efgh","evidence_steps":["asked bob@example.com"]}""" + "\n");

        await ImportAsync([jsonl], new ImportOptions());

        SupportCase stored = await SingleAsync("json", "P-1");
        Assert.Equal("Call [phone]", stored.Title);
        Assert.Equal("mail [email], key [secret]", stored.Description);
        Assert.Equal("rotated token=[secret]", stored.Resolution);
        Assert.Equal(["asked [email]"], stored.EvidenceSteps);
    }

    [Fact]
    public void A_mapping_naming_an_unknown_field_is_refused_with_the_field_list()
    {
        string file = _temp.WriteFile("bad-mapping.json", """{ "fields": { "subject_line": "Subject" } }""");

        (FieldMapping? mapping, string? error) = FieldMapping.Load(file);

        Assert.Null(mapping);
        Assert.StartsWith($"{file}: 'subject_line' is not a TicketOps field; use one of: external_id,", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapping_file_that_is_not_json_names_the_line()
    {
        string file = _temp.WriteFile("broken-mapping.json", "{\n  \"fields\": {\n    \"title\" \"Subject\"\n  }\n}");

        (FieldMapping? mapping, string? error) = FieldMapping.Load(file);

        Assert.Null(mapping);
        Assert.StartsWith($"{file}:3: the mapping file is not valid JSON", error, StringComparison.Ordinal);
    }

    private static string Line(string id, string title) =>
        $$"""{"external_id":"{{id}}","title":"{{title}}","created_at":"2025-01-01T00:00:00Z"}""" + "\n";

    private async Task<ImportResult> ImportAsync(string[] files, ImportOptions options)
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        return await new CaseImporter(db, TimeProvider.System).ImportAsync(files, options);
    }

    private async Task<SupportCase> SingleAsync(string source, string externalId)
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        return await db.Cases.SingleAsync(c => c.Source == source && c.ExternalId == externalId);
    }

    private async Task<string> SnapshotAsync()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        var rows = await db.Cases.OrderBy(c => c.Id).Select(c => new { c.Id, c.Source, c.ExternalId, c.Title, c.ContentHash, c.UpdatedAt }).ToListAsync();
        return System.Text.Json.JsonSerializer.Serialize(rows);
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class SqliteCaseImporterTests() : CaseImporterTests(DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlCaseImporterTests() : CaseImporterTests(DatabaseProvider.PostgreSql);
