namespace TicketOps.Core.Synthetic;

/// <summary>
/// The words around the symptom: greetings, filler, unrelated details, sign-offs and comments. They are
/// shared by all families on purpose, so that only the symptom, codes and environment tell cases apart.
/// </summary>
internal static class TicketPhrases
{
    public static readonly string[] Greetings =
    [
        "Hi team,", "Hello,", "Hi there!", "hey support -", "Good morning,", "Dear Cobaltline support,",
        "Hello support team,", "Hi,", "Hi all,", "Good afternoon,", "hello", "Hi folks,",
    ];

    public static readonly string[] Context =
    [
        "We're a team of about {n} people using {product} for project work.",
        "I'm the admin for our workspace {workspace}.",
        "This is blocking part of our team, so a quick answer would be great.",
        "Not sure if this is the right place to ask.",
        "We noticed this during our weekly review.",
        "I already searched the help center but didn't find anything.",
        "A colleague reported this to me, I'm forwarding it.",
        "We moved to the Business plan last month, in case that matters.",
        "Sorry for the long message.",
        "This started a couple of days ago as far as we can tell.",
        "It's the second time we see this.",
        "Our IT department asked me to open a ticket.",
        "We're in the middle of onboarding a new department.",
        "Happy to jump on a call if that helps.",
    ];

    public static readonly string[] Noise =
    [
        "Our other workspace seems fine.",
        "We already cleared the browser cache and tried another browser.",
        "Not urgent, but it's annoying.",
        "We have a big client presentation on Friday.",
        "Also, the new dark mode looks great by the way.",
        "I restarted my laptop, no change.",
        "It might be related to our VPN but I doubt it.",
        "Our company is closed on Monday so Tuesday works for a call.",
        "Same thing for my colleague in the Berlin office.",
        "We didn't change any settings recently.",
        "Maybe it's related to the update last week?",
        "It happened once before in spring and went away on its own.",
        "I attached a screenshot (hope it came through).",
        "Side question: can we get a copy of the SOC 2 report?",
        "We're on the annual plan if that's relevant.",
        "The status page shows everything green.",
    ];

    public static readonly string[] Tried =
    [
        "We tried logging out and back in, no luck.",
        "Restarting the app didn't help.",
        "I tried it in an incognito window too, same result.",
        "We checked the admin settings and nothing looks wrong to me.",
        "Reinstalling did not change anything.",
        "We followed the help center article but it didn't solve it.",
        "I tested with a second account and it behaves the same.",
        "Our IT checked the firewall, nothing blocked on their side they say.",
    ];

    public static readonly string[] Impact =
    [
        "About {n} people are affected right now.",
        "This is blocking our month-end process.",
        "Only some users are affected, not everyone.",
        "It's affecting our customer-facing team, so it's pretty urgent for us.",
        "A few people have already started working around it with spreadsheets.",
        "Management is asking me about it every day.",
        "We have a deadline on {workspace} this week.",
    ];

    public static readonly string[] CodeSentences =
    [
        "The error says {code}.", "Error: {code}", "We keep getting {code}.", "Message shown: \"{code}\"",
        "It shows {code} every time.", "exact error is {code}", "Error code {code}, if that helps.",
        "In the log I see {code}.",
    ];

    public static readonly string[] Environment =
    [
        "We're on {version}, {platform}.", "Version {version} ({platform}).", "Platform: {platform}.",
        "Using {platform}, app version {version}.", "We use {platform}.", "Our version is {version}.",
        "Env: {platform} / {version}", "This is on {platform}.",
    ];

    public static readonly string[] LogIntros =
    [
        "Here is what the log shows:", "Log excerpt:", "Pasting the error from our logs:", "From the console:",
        "This is what we see:", "our logs say:",
    ];

    public static readonly string[] SignOffs =
    [
        "Thanks,", "Thanks in advance!", "Regards,", "Best,", "Cheers,", "Thank you!", "BR,", "Kind regards,",
    ];

    public static readonly string[] TitlePrefixes = ["URGENT: ", "[P1] ", "Re: ", "FW: ", "Question: ", "Help - "];

    public static readonly string[] ContactSentences =
    [
        "You can reach me at {email} or {phone}.",
        "Please reply to {email}, I'm not always in the portal.",
        "Call me on {phone} if easier.",
        "My colleague {email} is also in the loop.",
        "Contact: {email}, {phone}",
    ];

    public static readonly string[] TokenSentences =
    [
        "Here is the key our script uses in case you need it: {token}",
        "We call the API with Authorization: Bearer {token}",
        "config: api_key={token}",
    ];

    public static readonly string[] GenericEvidence =
    [
        "Asked the customer for a screenshot and the exact time of the error",
        "Reproduced the problem in a test workspace",
        "Searched existing knowledge for the error code",
        "Checked the status page for incidents",
        "Collected the workspace id and affected user list",
    ];

    public static readonly string[] StepSuffixes = [" - done", " (ok)", ": confirmed", " - nothing unusual", " (see screenshot)"];

    public static readonly string[] CausePrefixes = ["", "", "", "Root cause: ", "Cause: ", "RCA: "];

    public static readonly string[] CustomerComments =
    [
        "Any update on this?", "Still happening on {version}.", "It happened again this morning.",
        "Thanks, we'll try that and report back.", "Is there an ETA?", "Adding my manager in cc.",
        "Same issue for another colleague now.", "Workaround is ok for now, thanks.",
    ];

    public static readonly string[] AgentComments =
    [
        "Thanks for the details, we're looking into it.",
        "Could you send the exact time it happened and the affected user?",
        "Can you confirm which version and platform you are on?",
        "We're checking this with the error code {code}.",
        "I've found a similar case, trying the same steps now.",
        "The fix is applied on our side, could you please confirm?",
        "Closing this as solved, feel free to reply if it comes back.",
    ];

    public static readonly string[] EngineeringComments =
    [
        "Engineering: reproduced, investigating.",
        "Engineering: fix merged, shipping with the next release.",
        "Engineering: looked at the logs for {code}, details in the internal note.",
    ];

    public static readonly string[] ReturnedComments =
    [
        "Engineering: returning to support - missing workspace id and exact timestamps.",
        "Engineering: please add logs / HAR file and the steps already checked before escalating.",
        "Engineering: can't act on this without the affected user ids, sending back.",
    ];

    public static readonly string[] ExtraTags = ["vip", "p1", "follow-up", "enterprise", "trial", "renewal-risk"];

    public static readonly string[] Regions = ["EMEA", "EMEA", "Americas", "Americas", "APAC"];

    // --------------------------------------------------------------------- one-off cases

    public static readonly (string Feature, string Area)[] OneOffFeatures =
    [
        ("Kanban board", IssueFamilies.WebApp), ("Gantt view", IssueFamilies.WebApp), ("time tracking", IssueFamilies.WebApp),
        ("file attachments", IssueFamilies.WebApp), ("custom fields", IssueFamilies.WebApp), ("calendar view", IssueFamilies.WebApp),
        ("recurring tasks", IssueFamilies.WebApp), ("guest access", IssueFamilies.SsoAuth), ("audit log", IssueFamilies.SsoAuth),
        ("workspace templates", IssueFamilies.WebApp), ("@mentions", IssueFamilies.Notifications), ("activity feed", IssueFamilies.WebApp),
        ("project archive", IssueFamilies.DataExport), ("forms", IssueFamilies.WebApp), ("approvals", IssueFamilies.WebApp),
        ("browser extension", IssueFamilies.Integrations), ("desktop app", IssueFamilies.WebApp), ("print view", IssueFamilies.WebApp),
        ("Outlook add-in", IssueFamilies.Integrations), ("Google Drive picker", IssueFamilies.Integrations), ("Zapier trigger", IssueFamilies.WebhooksApi),
        ("checklists", IssueFamilies.WebApp), ("task dependencies", IssueFamilies.WebApp), ("public share link", IssueFamilies.WebApp),
        ("custom roles", IssueFamilies.SsoAuth), ("bulk edit", IssueFamilies.WebApp), ("invoice PDF", IssueFamilies.Billing),
        ("payment history", IssueFamilies.Billing), ("iPad split view", IssueFamilies.Mobile), ("Android widget", IssueFamilies.Mobile),
        ("GraphQL endpoint", IssueFamilies.WebhooksApi), ("in-app notification bell", IssueFamilies.Notifications), ("PDF export", IssueFamilies.DataExport),
        ("workload view", IssueFamilies.Performance), ("portfolio roll-up", IssueFamilies.Performance),
    ];

    public static readonly string[] OneOffProblems =
    [
        "shows a blank page", "freezes for a few seconds", "loses the sort order", "shows the wrong owner",
        "shows times in UTC instead of our local time", "duplicates the last entry", "throws {code}",
        "doesn't save my changes", "is missing a button that used to be there", "shows stale data until I reload",
        "renders overlapping text", "ignores the filter", "resets to default settings", "times out with {code}",
        "shows a spinner forever", "crashes with {code}",
    ];

    public static readonly string[] OneOffActions =
    [
        "switch projects", "drag an item to another column", "open it from an email link", "use a private window",
        "move it to a second monitor", "change the language to German", "share it with a guest", "zoom to 125%",
        "import items from a spreadsheet", "undo a change", "collapse a group", "paste text from Word",
        "sort by a custom field", "log in with a guest account",
    ];

    public static readonly string[] OneOffCodeWords =
    [
        "RENDER", "STATE", "PARSE", "QUOTA", "LOCK", "PROXY", "CACHE", "SCHEMA", "UPLOAD", "VIEW", "SESSION", "PERM",
    ];

    public static readonly string[] OneOffCauses =
    [
        "Ad blocker extension blocked one of the app scripts",
        "Stale cached app bundle after a deploy",
        "Corporate proxy stripped a required header",
        "UI bug in the {feature}, fixed in the next release",
        "Project permissions hid the items from the user",
        "Corrupted saved view settings for the user",
        "Imported data used an unsupported date format",
        "Browser zoom/scaling bug in an old browser version",
        "Race condition between two tabs editing the same item",
        "Customer-side firewall rule blocked websocket connections",
    ];

    public static readonly string[] OneOffResolutions =
    [
        "Cleared site data and reloaded the app",
        "Reset the user's view settings",
        "Adjusted the project permissions",
        "Customer allow-listed the app domains in the proxy",
        "Provided a workaround; engineering fix scheduled",
        "Updated the browser to a supported version",
        "Re-imported the data with ISO dates",
        "Disabled the conflicting extension",
    ];

    public static readonly string[] HowToTopics =
    [
        "change the owner of our workspace", "download all invoices for our accountant", "rename our workspace",
        "add a second admin", "change the language of notification emails", "move a project to another workspace",
        "set up a holiday calendar", "change our billing email address", "give a contractor read-only access",
        "delete my own account", "turn off the weekly summary email", "add our logo to shared forms",
        "switch from monthly to annual billing", "see who deleted an item",
    ];
}
