namespace TicketOps.Core.Synthetic;

/// <summary>
/// The latent issue families of the demo data set: recurring problems of Cobaltline, a fictional SaaS
/// work-management platform. Several families are deliberately close (two SAML families, two Salesforce
/// families, two slowness families) so that telling them apart takes more than one keyword.
/// </summary>
public static class IssueFamilies
{
    /// <summary>Name of the fictional product the demo tickets are about.</summary>
    public const string ProductName = "Cobaltline";

    /// <summary>Product area: single sign-on, MFA and user provisioning.</summary>
    public const string SsoAuth = "SSO/Auth";

    /// <summary>Product area: subscriptions, invoices and payments.</summary>
    public const string Billing = "Billing";

    /// <summary>Product area: outgoing webhooks and the public REST API.</summary>
    public const string WebhooksApi = "Webhooks/API";

    /// <summary>Product area: CSV/JSON exports and scheduled exports to storage.</summary>
    public const string DataExport = "Data export";

    /// <summary>Product area: Slack, Salesforce, Jira and Teams integrations.</summary>
    public const string Integrations = "Integrations";

    /// <summary>Product area: the iOS and Android apps.</summary>
    public const string Mobile = "Mobile";

    /// <summary>Product area: page, report and search speed.</summary>
    public const string Performance = "Performance";

    /// <summary>Product area: e-mail and in-app notifications.</summary>
    public const string Notifications = "Notifications";

    /// <summary>Product area: the web app's everyday features (boards, views, fields); one-off cases only.</summary>
    public const string WebApp = "Web app";

    /// <summary>All product areas, in display order.</summary>
    public static IReadOnlyList<string> ProductAreas { get; } =
        [SsoAuth, Billing, WebhooksApi, DataExport, Integrations, Mobile, Performance, Notifications, WebApp];

    /// <summary>All issue families, in a fixed order (the generator depends on it for determinism).</summary>
    public static IReadOnlyList<IssueFamily> All { get; } = Build();

    /// <summary>The family with id <paramref name="id"/>, or null.</summary>
    /// <param name="id">A family id such as <c>sso-saml-clock-skew</c>.</param>
    public static IssueFamily? Find(string id)
    {
        foreach (var family in All)
        {
            if (family.Id == id)
            {
                return family;
            }
        }

        return null;
    }

    private static IssueFamily[] Build() =>
    [
        // ---------------------------------------------------------------- SSO/Auth
        new()
        {
            Id = "sso-saml-clock-skew",
            PlaybookIds = ["PB-0001"],
            Name = "SAML login rejected for clock skew",
            ProductArea = SsoAuth,
            Components = ["SAML SSO", "Login"],
            Platforms = ["Okta", "Azure AD", "ADFS 2019", "OneLogin"],
            ErrorCodes = ["ERR_SAML_CLOCK_SKEW", "SAML assertion not yet valid"],
            Titles = ["SSO login fails with {code}", "Users can't log in via SAML", "SAML login error after IdP redirect", "intermittent SSO failures this morning"],
            Symptoms =
            [
                "Since this morning some of our users get {code} when they log in through {platform}. Others can log in fine.",
                "When we click the SSO button we get bounced back to the login page with the message {code}. It works again if we retry a minute later.",
                "Our SAML login is failing for about {n} users with the error {code}. Nothing changed on our side as far as I know.",
                "SSO is flaky. Login through {platform} sometimes works and sometimes shows {code}, it seems random.",
                "After the redirect from {platform} {product} says the assertion is invalid ({code}). Looks like a time issue maybe?",
            ],
            LogLines =
            [
                "{ts} WARN  saml.AssertionValidator  {code}: NotBefore is {n}s in the future (allowed skew 30s)",
                "<saml:Conditions NotBefore=\"{ts}\" NotOnOrAfter=\"{ts}\"> -> rejected: {code}",
            ],
            EvidenceSteps =
            [
                "Confirm the error code in the login audit log for an affected user",
                "Compare the NotBefore/NotOnOrAfter timestamps of a captured SAML response with UTC",
                "Check NTP status and clock drift on the customer's IdP server",
                "Check whether the allowed clock skew setting was changed on the SSO connection",
            ],
            Causes =
            [
                new("IdP server clock drifted ahead of UTC because its NTP sync stopped", 0.7),
                new("Allowed clock skew on the SSO connection was lowered to 0 seconds", 0.3),
            ],
            ResolutionSteps =
            [
                "Asked the customer to resync the IdP server clock with NTP",
                "Set the allowed clock skew on the SSO connection back to 60 seconds",
                "Confirmed affected users can log in again",
            ],
            EscalationShare = 0.12,
            ReturnedShare = 0.15,
            EvidenceHours = 1.5,
            Tags = ["sso", "saml", "login"],
            CloseTo = ["sso-saml-cert-rollover"],
        },
        new()
        {
            Id = "sso-saml-cert-rollover",
            PlaybookIds = ["PB-0002"],
            Name = "SAML signature invalid after IdP certificate rollover",
            ProductArea = SsoAuth,
            Components = ["SAML SSO", "Login"],
            Platforms = ["Okta", "Azure AD", "ADFS 2019", "PingFederate"],
            ErrorCodes = ["ERR_SAML_SIGNATURE_INVALID", "X509 certificate mismatch"],
            Titles = ["Nobody can log in with SSO - {code}", "SAML login broken for the whole company", "SSO error after IdP changes", "urgent: saml signature error"],
            Symptoms =
            [
                "Since today nobody in our company can log in via SSO. {product} shows {code} right after the {platform} redirect.",
                "All SAML logins fail with {code}. Our identity team did some maintenance on {platform} yesterday, not sure if related.",
                "Login via SSO stopped working for everyone, the login page says the SAML response signature is not valid ({code}).",
                "We get {code} for every user on the SAML login. Password login for the admin account still works.",
            ],
            LogLines =
            [
                "{ts} ERROR saml.SignatureVerifier  {code}: signing certificate thumbprint does not match configured certificate",
                "System.Security.Cryptography.CryptographicException: {code}\n   at Cobaltline.Sso.Saml.SignatureVerifier.Verify(XmlElement assertion)",
            ],
            EvidenceSteps =
            [
                "Confirm the error code in the login audit log",
                "Compare the certificate thumbprint in the SAML response with the one configured on the SSO connection",
                "Ask the customer whether the IdP signing certificate was rotated",
                "Check the IdP metadata URL for the new certificate",
            ],
            Causes =
            [
                new("IdP signing certificate was rotated but the new certificate was not uploaded to the SSO connection", 0.8),
                new("SSO connection points to an old metadata file instead of the metadata URL", 0.2),
            ],
            ResolutionSteps =
            [
                "Uploaded the new IdP signing certificate to the SSO connection",
                "Switched the connection to the IdP metadata URL so future rollovers are picked up automatically",
                "Verified login with a test user",
            ],
            EscalationShare = 0.2,
            ReturnedShare = 0.2,
            EvidenceHours = 1.0,
            Weight = 0.8,
            Tags = ["sso", "saml", "certificate"],
            CloseTo = ["sso-saml-clock-skew"],
        },
        new()
        {
            Id = "sso-oidc-redirect-mismatch",
            Name = "OIDC login fails with redirect URI mismatch",
            ProductArea = SsoAuth,
            Components = ["OIDC SSO", "Login"],
            Platforms = ["Azure AD", "Google Workspace", "Auth0", "Keycloak 24"],
            ErrorCodes = ["redirect_uri_mismatch", "ERR_OIDC_REDIRECT_URI"],
            Titles = ["OpenID Connect setup fails: {code}", "Can't finish OIDC SSO configuration", "OIDC login error on our custom domain"],
            Symptoms =
            [
                "We're setting up OpenID Connect with {platform} and the test login ends with {code}.",
                "After moving {product} to our custom domain the OIDC login shows {code} on the {platform} side.",
                "The SSO login through {platform} gives {code}. We copied the redirect URL from the admin page, I think.",
            ],
            LogLines =
            [
                "error={code}&error_description=The+redirect+URI+in+the+request+does+not+match+the+ones+authorized",
                "{ts} WARN oidc.CallbackHandler {code} expected https://{workspace}.cobaltline.app/auth/oidc/callback",
            ],
            EvidenceSteps =
            [
                "Get the exact error returned by the IdP",
                "Compare the redirect URI registered at the IdP with the callback URL shown in the SSO settings",
                "Check whether a custom domain was enabled recently",
            ],
            Causes =
            [
                new("Redirect URI registered at the IdP still uses the old cobaltline.app domain after a custom domain change", 0.6),
                new("Trailing slash or http/https difference in the registered redirect URI", 0.4),
            ],
            ResolutionSteps =
            [
                "Registered the exact callback URL from the SSO settings page at the IdP",
                "Retested the OIDC login with the customer",
            ],
            EscalationShare = 0.05,
            ReturnedShare = 0.1,
            EvidenceHours = 0.8,
            Weight = 0.8,
            Tags = ["sso", "oidc", "setup"],
        },
        new()
        {
            Id = "auth-mfa-totp-rejected",
            Name = "MFA codes rejected on the first try",
            ProductArea = SsoAuth,
            Components = ["MFA", "Login"],
            Platforms = ["Google Authenticator", "Microsoft Authenticator", "Authy", "1Password"],
            ErrorCodes = ["ERR_MFA_CODE_INVALID", "AUTH-2FA-401"],
            Titles = ["2FA code not accepted", "MFA says code invalid ({code})", "Locked out - authenticator codes don't work"],
            Symptoms =
            [
                "My authenticator codes from {platform} are rejected with {code}, I've tried {n} times and now I'm locked out.",
                "Two-factor login keeps saying {code} even though I type the code right away. Happens on my phone and laptop.",
                "Several people on our team get {code} when entering the 6 digit MFA code. Usually works on the second or third try.",
            ],
            EvidenceSteps =
            [
                "Check the MFA audit log for the user's failed attempts",
                "Ask the user to compare the time on the phone with time.is",
                "Check whether the user has more than one MFA device enrolled",
            ],
            Causes =
            [
                new("Phone clock is set manually and drifted, so TOTP codes are out of the accepted window", 0.65),
                new("User enrolled a second authenticator and uses codes from the old entry", 0.35),
            ],
            ResolutionSteps =
            [
                "Asked the user to enable automatic date and time on the phone",
                "Reset the MFA enrollment and had the user enroll again",
            ],
            EscalationShare = 0.04,
            ReturnedShare = 0.1,
            EvidenceHours = 2.0,
            Trend = FamilyTrend.Fading,
            Tags = ["mfa", "login", "lockout"],
        },
        new()
        {
            Id = "scim-duplicate-users",
            Name = "SCIM provisioning creates duplicate users",
            ProductArea = SsoAuth,
            Components = ["SCIM provisioning", "User management"],
            Platforms = ["Okta", "Azure AD", "OneLogin"],
            ErrorCodes = ["SCIM 409 uniqueness", "ERR_SCIM_DUPLICATE_USERNAME"],
            Titles = ["Duplicate users after SCIM sync", "Provisioning errors from {platform}: {code}", "Same person shows up twice in user list"],
            Symptoms =
            [
                "Our {platform} provisioning to {product} shows {code} for {n} users and some people now exist twice in the member list.",
                "After we renamed a few accounts (email change) SCIM created new users instead of updating the old ones. The sync log has {code}.",
                "We see duplicate members with the same name but different emails. {platform} reports {code} on push.",
            ],
            LogLines =
            [
                "POST /scim/v2/Users -> 409 Conflict {\"scimType\":\"uniqueness\",\"detail\":\"{code}\"}",
            ],
            EvidenceSteps =
            [
                "Export the SCIM request log for one duplicated user",
                "Compare the externalId and userName of both user records",
                "Check which attribute the IdP uses as the SCIM userName",
                "Check whether the user's email changed in the IdP",
            ],
            Causes =
            [
                new("IdP maps userName to email, so an email change creates a new identity instead of updating the user", 0.6),
                new("Users were created manually before SCIM was enabled and have no externalId", 0.4),
            ],
            ResolutionSteps =
            [
                "Merged the duplicate accounts in User management",
                "Changed the IdP attribute mapping so userName uses the immutable object id",
                "Re-ran provisioning for the affected users",
            ],
            EscalationShare = 0.35,
            ReturnedShare = 0.3,
            EvidenceHours = 5.0,
            Trend = FamilyTrend.Growing,
            Tags = ["scim", "provisioning", "users"],
            CloseTo = ["billing-seat-count-mismatch"],
        },

        // ---------------------------------------------------------------- Billing
        new()
        {
            Id = "billing-card-3ds-declined",
            PlaybookIds = ["PB-0007"],
            Name = "Card payment declined for 3-D Secure",
            ProductArea = Billing,
            Components = ["Payments", "Subscription"],
            Platforms = ["Web", "Chrome", "Safari"],
            ErrorCodes = ["BILL-3DS-402", "authentication_required"],
            Titles = ["Payment failed - {code}", "Can't renew our subscription, card declined", "Credit card keeps getting rejected"],
            Symptoms =
            [
                "Our renewal payment failed with {code}. The card is valid and has enough limit, the bank says they don't see any attempt.",
                "When I try to pay the invoice the card form closes and shows {code}. No SMS from the bank ever arrives.",
                "Billing page says card declined ({code}). We used the same card for {n} months without problem.",
            ],
            EvidenceSteps =
            [
                "Look up the payment attempt and decline code in the billing console",
                "Check whether a 3-D Secure challenge was issued",
                "Ask whether the customer's browser blocks third-party pop-ups or frames",
            ],
            Causes =
            [
                new("Bank requires 3-D Secure but the challenge window was blocked by the browser", 0.6),
                new("Automatic renewal ran off-session and the bank demanded customer authentication", 0.4),
            ],
            ResolutionSteps =
            [
                "Sent the customer a payment link to complete the 3-D Secure challenge",
                "Asked them to allow pop-ups for the billing page",
                "Confirmed the invoice is marked paid",
            ],
            EscalationShare = 0.06,
            ReturnedShare = 0.1,
            EvidenceHours = 1.0,
            Weight = 1.2,
            Tags = ["billing", "payment", "card"],
        },
        new()
        {
            Id = "billing-invoice-vat-missing",
            Name = "VAT id missing on invoices",
            ProductArea = Billing,
            Components = ["Invoices", "Tax"],
            Platforms = ["Web"],
            ErrorCodes = ["BILL-TAX-112", "VAT number not validated"],
            Titles = ["Invoice without our VAT number", "VAT missing on invoice - accounting rejects it", "Need corrected invoice ({code})"],
            Symptoms =
            [
                "Our accounting rejected the last invoice because our VAT id is not on it. In billing settings it shows {code} next to the number.",
                "Invoices from {product} show VAT charged at the local rate although we entered our EU VAT number. The settings page has a warning {code}.",
                "We need a corrected invoice with our VAT ID, the field says {code}.",
            ],
            EvidenceSteps =
            [
                "Check the tax id status on the billing account",
                "Validate the VAT number against VIES",
                "Check whether the billing country matches the VAT number's country",
            ],
            Causes =
            [
                new("VAT number could not be validated because VIES was unavailable when it was entered", 0.5),
                new("Billing country differs from the country prefix of the VAT number", 0.5),
            ],
            ResolutionSteps =
            [
                "Re-validated the VAT number",
                "Corrected the billing country",
                "Issued a credit note and a corrected invoice",
            ],
            EscalationShare = 0.1,
            ReturnedShare = 0.1,
            EvidenceHours = 4.0,
            Trend = FamilyTrend.Fading,
            Tags = ["billing", "invoice", "vat"],
        },
        new()
        {
            Id = "billing-proration-double-charge",
            Name = "Double charge on plan change after pricing release",
            ProductArea = Billing,
            Components = ["Subscription", "Payments"],
            Platforms = ["Web"],
            ErrorCodes = ["BILL-PRO-221", "proration_mismatch"],
            Titles = ["Charged twice after upgrading plan", "Double charge on our card!!", "Wrong proration amount after plan change ({code})"],
            Symptoms =
            [
                "We upgraded from Team to Business on {version} and got charged the full price twice. The invoice line says {code}.",
                "After changing the number of seats our card was charged two times the same amount. Billing history shows {code} on the second one.",
                "The proration on our invoice is wrong, we paid for the whole year again after a mid-cycle upgrade. Error in the portal: {code}.",
            ],
            LogLines =
            [
                "{ts} ERROR billing.ProrationService {code}: credit for unused time missing, subscription sub_{n}",
            ],
            EvidenceSteps =
            [
                "Find both charges in the billing console",
                "Check the subscription change timeline and the proration preview",
                "Check whether the plan change happened after the pricing release",
            ],
            Causes =
            [
                new("Pricing release v4.10 dropped the unused-time credit on mid-cycle plan changes", 0.85),
                new("Customer changed the plan twice within a minute and both changes were invoiced", 0.15),
            ],
            ResolutionSteps =
            [
                "Refunded the duplicate charge",
                "Engineering fixed proration in the next patch and re-ran affected invoices",
            ],
            EscalationShare = 0.7,
            ReturnedShare = 0.08,
            EvidenceHours = 2.0,
            Trend = FamilyTrend.Sudden,
            StartMonth = 7,
            Weight = 1.1,
            Tags = ["billing", "refund", "regression"],
        },
        new()
        {
            Id = "billing-seat-count-mismatch",
            Name = "Seat count higher than active users",
            ProductArea = Billing,
            Components = ["Subscription", "User management"],
            Platforms = ["Web"],
            ErrorCodes = ["BILL-SEAT-409", "seat limit reached"],
            Titles = ["We're billed for more seats than users", "Seat count wrong on invoice", "Can't add user: {code}"],
            Symptoms =
            [
                "We have {n} active users but the invoice charges more seats. When I try to add someone I get {code}.",
                "The seat counter in billing doesn't match the member list. Deactivated users still seem to count ({code}).",
                "Why are we paying for more seats than people? Admin page shows {code} even after we removed users.",
            ],
            EvidenceSteps =
            [
                "Compare the billable seat count with the list of active members",
                "Check deactivated, pending invitation and guest accounts",
                "Check for duplicate accounts created by provisioning",
            ],
            Causes =
            [
                new("Pending invitations count as billable seats until they expire", 0.5),
                new("Duplicate accounts from provisioning are counted twice", 0.3),
                new("Deactivated users still hold a seat until the next billing cycle", 0.2),
            ],
            ResolutionSteps =
            [
                "Revoked stale invitations and removed duplicate accounts",
                "Recalculated the seat count and issued a credit for the difference",
            ],
            EscalationShare = 0.15,
            ReturnedShare = 0.2,
            EvidenceHours = 3.0,
            Tags = ["billing", "seats", "users"],
            CloseTo = ["scim-duplicate-users"],
        },

        // ---------------------------------------------------------------- Webhooks/API
        new()
        {
            Id = "webhook-signature-mismatch",
            PlaybookIds = ["PB-0003"],
            Name = "Webhook signature verification fails",
            ProductArea = WebhooksApi,
            Components = ["Webhooks"],
            Platforms = ["Node.js 20", "Python 3.12", ".NET 8", "Java 17", "PHP 8.2"],
            ErrorCodes = ["WH-4031", "X-Cobaltline-Signature mismatch"],
            Titles = ["Webhook signature doesn't validate", "Our endpoint rejects {product} webhooks ({code})", "HMAC check failing for webhooks"],
            Symptoms =
            [
                "Our webhook receiver on {platform} rejects every event because the signature doesn't match ({code}). We use the secret from the webhook settings.",
                "Signature verification for webhooks fails, we compute HMAC-SHA256 of the body like the docs say. Delivery log says {code}.",
                "All webhook deliveries show {code} since we rotated the secret. Our code hasn't changed.",
            ],
            LogLines =
            [
                "{ts} webhook delivery evt_{n} -> 401 Unauthorized ({code})",
                "Error: {code}: expected sha256=9f2c... got sha256=41ab...\n    at verifySignature (/app/webhooks.js:42:11)",
            ],
            EvidenceSteps =
            [
                "Check the delivery log for the response code of a failed delivery",
                "Confirm the customer signs the raw request body, not re-serialized JSON",
                "Check whether the webhook secret was rotated recently",
            ],
            Causes =
            [
                new("Receiver computes the HMAC over parsed and re-serialized JSON instead of the raw body", 0.6),
                new("Secret was rotated in Cobaltline but the receiver still uses the old secret", 0.4),
            ],
            ResolutionSteps =
            [
                "Shared the signature verification sample that uses the raw body",
                "Had the customer update the secret on the receiver",
                "Replayed the failed deliveries",
            ],
            EscalationShare = 0.08,
            ReturnedShare = 0.15,
            EvidenceHours = 1.5,
            Tags = ["webhooks", "api", "security"],
        },
        new()
        {
            Id = "webhook-delivery-timeouts",
            Name = "Webhook deliveries time out and are retried",
            ProductArea = WebhooksApi,
            Components = ["Webhooks", "Event delivery"],
            Platforms = ["AWS Lambda", "Azure Functions", "Kubernetes", "Heroku"],
            ErrorCodes = ["WH-5040", "delivery timeout after 10s"],
            Titles = ["We receive the same webhook several times", "Webhooks delayed and duplicated", "Webhook endpoint disabled automatically ({code})"],
            Symptoms =
            [
                "We get the same webhook event {n} times, and the delivery log shows {code} even though our endpoint processed it.",
                "Our endpoint on {platform} was disabled by {product} after repeated {code} errors. It was up the whole time.",
                "Webhooks arrive minutes late and duplicated. Attempt history: {code}, then success on retry.",
            ],
            LogLines =
            [
                "{ts} delivery attempt 3/8 evt_{n} POST https://hooks.example.com/cobaltline -> {code}",
            ],
            EvidenceSteps =
            [
                "Check attempt history and response times for the endpoint",
                "Check whether the receiver does its processing before answering",
                "Check for cold starts or scaling limits on the receiver",
                "Check whether the endpoint was auto-disabled",
            ],
            Causes =
            [
                new("Receiver does slow processing synchronously and answers after the 10 second timeout", 0.7),
                new("Serverless receiver has cold starts longer than the delivery timeout", 0.3),
            ],
            ResolutionSteps =
            [
                "Advised the customer to acknowledge with 200 first and process asynchronously",
                "Recommended deduplicating by event id",
                "Re-enabled the endpoint",
            ],
            EscalationShare = 0.25,
            ReturnedShare = 0.3,
            EvidenceHours = 4.0,
            Trend = FamilyTrend.Growing,
            Tags = ["webhooks", "timeout", "retries"],
        },
        new()
        {
            Id = "api-rate-limit-429",
            PlaybookIds = ["PB-0004"],
            Name = "API clients hit rate limits",
            ProductArea = WebhooksApi,
            Components = ["REST API"],
            Platforms = ["Python 3.12", "Node.js 20", "Go 1.22", "Zapier", ".NET 8"],
            ErrorCodes = ["HTTP 429", "RATE_LIMIT_EXCEEDED"],
            Titles = ["Getting {code} from the API", "API throttling our nightly sync", "Too many requests errors since last week"],
            Symptoms =
            [
                "Our nightly sync script gets {code} after a few hundred calls and then fails. It worked until recently.",
                "The API responds {code} to our integration on {platform}. We only make about {n} requests per minute, we think.",
                "Since last week we hit {code} constantly. Is there a new limit? The Retry-After header says 60.",
            ],
            LogLines =
            [
                "HTTP/1.1 429 Too Many Requests\nRetry-After: 60\nX-RateLimit-Remaining: 0\n{\"error\":\"RATE_LIMIT_EXCEEDED\"}",
                "{ts} ERROR sync: request failed {code} on GET /api/v2/items?page={n}",
            ],
            EvidenceSteps =
            [
                "Check the API usage graph for the token",
                "Check whether the client honours Retry-After",
                "Check whether several integrations share one token",
            ],
            Causes =
            [
                new("Client retries immediately without honouring Retry-After and burns the quota", 0.5),
                new("Several integrations share one API token and together exceed its limit", 0.5),
            ],
            ResolutionSteps =
            [
                "Explained the per-token limits and Retry-After",
                "Suggested separate tokens per integration and bulk endpoints",
            ],
            EscalationShare = 0.1,
            ReturnedShare = 0.2,
            EvidenceHours = 1.0,
            Trend = FamilyTrend.Growing,
            Weight = 1.2,
            Tags = ["api", "rate-limit"],
            CloseTo = ["api-token-scope-403"],
        },
        new()
        {
            Id = "api-pagination-cursor-expired",
            Name = "Pagination cursor expires during long exports",
            ProductArea = WebhooksApi,
            Components = ["REST API"],
            Platforms = ["Python 3.12", "Node.js 20", "Power BI", "Go 1.22"],
            ErrorCodes = ["API-CURSOR-410", "HTTP 410 Gone"],
            Titles = ["API returns {code} while paging", "Pagination breaks halfway through", "cursor expired error"],
            Symptoms =
            [
                "When we page through all items with the cursor, after a while the API returns {code} and we have to start over.",
                "Our {platform} connector pulls items page by page and fails at page {n} with {code}.",
                "Paging through /items stops working after ~15 minutes, error {code}.",
            ],
            EvidenceSteps =
            [
                "Check the time between the first and the failing page request",
                "Confirm the client does not reuse an old cursor after a restart",
            ],
            Causes =
            [
                new("Cursors expire after 10 minutes and the client pauses between pages to process data", 1.0),
            ],
            ResolutionSteps =
            [
                "Advised fetching all pages first and processing afterwards, or using the updated_since filter",
            ],
            EscalationShare = 0.07,
            ReturnedShare = 0.1,
            EvidenceHours = 2.0,
            Weight = 0.7,
            Tags = ["api", "pagination"],
        },
        new()
        {
            Id = "api-token-scope-403",
            Name = "API token lacks the required scope",
            ProductArea = WebhooksApi,
            Components = ["REST API", "API tokens"],
            Platforms = ["Postman", "Python 3.12", "Zapier", "curl"],
            ErrorCodes = ["HTTP 403", "ERR_TOKEN_SCOPE"],
            Titles = ["API returns {code} for a valid token", "Forbidden on some API endpoints", "Token works for read but not write"],
            Symptoms =
            [
                "Our token works for GET requests but POST to /api/v2/items returns {code}. We are admin.",
                "Calls from {platform} fail with {code} since we created a new token. The old one worked.",
                "API says {code} (insufficient scope) although the token was created by an owner of the workspace.",
            ],
            LogLines = ["{\"status\":403,\"error\":\"ERR_TOKEN_SCOPE\",\"required\":\"items:write\"}"],
            EvidenceSteps =
            [
                "Check the scopes of the token in the API tokens page",
                "Compare them with the scope the endpoint requires",
            ],
            Causes =
            [
                new("Token was created with read-only scopes", 0.8),
                new("Token owner was downgraded from admin, which reduced the token's effective scopes", 0.2),
            ],
            ResolutionSteps =
            [
                "Created a new token with the required write scope",
            ],
            EscalationShare = 0.03,
            ReturnedShare = 0.05,
            EvidenceHours = 0.7,
            Weight = 0.8,
            Tags = ["api", "tokens", "permissions"],
            CloseTo = ["api-rate-limit-429"],
        },

        // ---------------------------------------------------------------- Data export
        new()
        {
            Id = "export-csv-encoding-garbled",
            PlaybookIds = ["PB-0005"],
            Name = "CSV export shows garbled characters in Excel",
            ProductArea = DataExport,
            Components = ["CSV export"],
            Platforms = ["Excel 2019", "Excel for Mac", "Windows 11", "LibreOffice"],
            ErrorCodes = ["EXP-ENC-001", "Ã¼ instead of ü"],
            Titles = ["Export has weird characters", "Umlauts broken in CSV export", "CSV encoding problem ({code})"],
            Symptoms =
            [
                "When we open the CSV export in {platform} all special characters are broken, e.g. {code}.",
                "Names with accents look like garbage in the exported file. Export log says {code}.",
                "The CSV export mangles non-English characters. We need this for our German and French customers.",
            ],
            EvidenceSteps =
            [
                "Open the exported file in a text editor and check its encoding",
                "Check whether the 'Excel compatible (UTF-8 with BOM)' option was selected",
            ],
            Causes =
            [
                new("File is UTF-8 without BOM and Excel opens it as Windows-1252", 1.0),
            ],
            ResolutionSteps =
            [
                "Enabled the Excel compatible export option",
                "Showed how to import the CSV as UTF-8 via Data > From Text",
            ],
            EscalationShare = 0.03,
            ReturnedShare = 0.05,
            EvidenceHours = 1.5,
            Trend = FamilyTrend.Fading,
            Tags = ["export", "csv", "encoding"],
        },
        new()
        {
            Id = "export-large-job-stuck",
            Name = "Large exports stuck in processing",
            ProductArea = DataExport,
            Components = ["Export jobs", "CSV export"],
            Platforms = ["Web"],
            ErrorCodes = ["EXP-JOB-504", "export stuck at 99%"],
            Titles = ["Export never finishes", "Full workspace export stuck ({code})", "export job hangs"],
            Symptoms =
            [
                "Our full export of the {workspace} workspace has been stuck at 99% for {n} hours. Status shows {code}.",
                "I started an export with attachments yesterday and it's still processing. Retrying gives {code}.",
                "Exports of big projects never complete, small ones work fine. Job page: {code}.",
            ],
            EvidenceSteps =
            [
                "Look up the export job id and its worker logs",
                "Check the size of the workspace and attachments",
                "Check the export queue backlog",
                "Check for a single oversized attachment",
            ],
            Causes =
            [
                new("Export worker runs out of memory on workspaces with more than 50 GB of attachments", 0.6),
                new("Export queue backlog after a worker restart", 0.4),
            ],
            ResolutionSteps =
            [
                "Restarted the export job on the large-job worker pool",
                "Suggested exporting attachments separately per project",
            ],
            EscalationShare = 0.55,
            ReturnedShare = 0.25,
            EvidenceHours = 6.0,
            Trend = FamilyTrend.Growing,
            Tags = ["export", "jobs", "performance"],
        },
        new()
        {
            Id = "export-s3-access-denied",
            Name = "Scheduled export to S3 fails with AccessDenied",
            ProductArea = DataExport,
            Components = ["Scheduled export", "S3 destination"],
            Platforms = ["AWS S3", "MinIO", "Wasabi"],
            ErrorCodes = ["EXP-S3-403", "AccessDenied"],
            Titles = ["Scheduled export to S3 failing", "S3 export: {code}", "Nightly export stopped arriving in our bucket"],
            Symptoms =
            [
                "Our nightly export to {platform} stopped arriving. The export history shows {code}.",
                "Scheduled export fails with {code}. We changed our bucket policy last week for security review.",
                "Export to S3 says {code} although the test connection button works.",
            ],
            LogLines = ["{ts} ERROR export.S3Writer {code}: PutObject on arn:aws:s3:::{workspace}-exports denied (KMS key)"],
            EvidenceSteps =
            [
                "Check the export history error message",
                "Check the bucket policy and IAM role trust for the Cobaltline role",
                "Check whether the bucket uses KMS encryption",
            ],
            Causes =
            [
                new("Bucket enforces SSE-KMS and the Cobaltline role has no kms:GenerateDataKey permission", 0.55),
                new("Bucket policy change removed PutObject for the Cobaltline role", 0.45),
            ],
            ResolutionSteps =
            [
                "Customer granted the KMS and PutObject permissions to the role",
                "Ran the export manually to confirm",
            ],
            EscalationShare = 0.1,
            ReturnedShare = 0.15,
            EvidenceHours = 2.0,
            Weight = 0.8,
            Tags = ["export", "s3", "permissions"],
        },
        new()
        {
            Id = "export-timezone-shift",
            Name = "Exported dates shifted by one day",
            ProductArea = DataExport,
            Components = ["CSV export", "Reports"],
            Platforms = ["Web", "Excel 2019"],
            ErrorCodes = ["EXP-TZ-017", "due_date off by one day"],
            Titles = ["Dates in export are one day off", "Due dates wrong in CSV since update", "export timezone bug?"],
            Symptoms =
            [
                "Since {version} all due dates in our CSV export are one day earlier than in the app ({code}).",
                "The export shows dates shifted by a day for our team in {platform}. In the UI everything is correct.",
                "Our report exports have wrong dates since the last update, e.g. {code}. Our workspace timezone is Europe/Berlin.",
            ],
            EvidenceSteps =
            [
                "Compare one item's due date in the UI and in the export",
                "Check the workspace and user timezone settings",
                "Check the version that produced the export",
            ],
            Causes =
            [
                new("Release v4.8 exports date-only fields as UTC midnight converted to the workspace timezone", 1.0),
            ],
            ResolutionSteps =
            [
                "Engineering shipped a fix to export date-only fields without timezone conversion",
                "Customer re-ran the export",
            ],
            EscalationShare = 0.6,
            ReturnedShare = 0.1,
            EvidenceHours = 3.0,
            Trend = FamilyTrend.Sudden,
            StartMonth = 5,
            Weight = 0.9,
            Tags = ["export", "timezone", "regression"],
        },

        // ---------------------------------------------------------------- Integrations
        new()
        {
            Id = "slack-notifications-not-posting",
            PlaybookIds = ["PB-0006"],
            Name = "Slack notifications stop posting",
            ProductArea = Integrations,
            Components = ["Slack integration"],
            Platforms = ["Slack", "Slack Enterprise Grid"],
            ErrorCodes = ["invalid_auth", "SLK-401"],
            Titles = ["Slack notifications stopped", "Nothing posted to our Slack channel anymore", "Slack integration error {code}"],
            Symptoms =
            [
                "Our Slack channel stopped getting {product} updates a few days ago. The integration page says {code}.",
                "Slack notifications don't arrive anymore. We reinstalled nothing. Integration log: {code}.",
                "Since the person who connected Slack left the company, notifications are gone and the log shows {code}.",
            ],
            EvidenceSteps =
            [
                "Check the integration status and last error",
                "Check which user installed the Slack app",
                "Check whether the Slack app was removed from the channel",
            ],
            Causes =
            [
                new("Slack token was revoked when the installing user was deactivated", 0.7),
                new("Bot was removed from the private channel", 0.3),
            ],
            ResolutionSteps =
            [
                "Reconnected the Slack integration with a service account",
                "Invited the bot back to the channel",
            ],
            EscalationShare = 0.05,
            ReturnedShare = 0.1,
            EvidenceHours = 2.0,
            Weight = 1.1,
            Tags = ["slack", "integration", "notifications"],
            CloseTo = ["salesforce-oauth-invalid-grant"],
        },
        new()
        {
            Id = "salesforce-sync-field-mapping",
            Name = "Salesforce sync fails on field mapping",
            ProductArea = Integrations,
            Components = ["Salesforce integration", "Field mapping"],
            Platforms = ["Salesforce Sales Cloud", "Salesforce Service Cloud"],
            ErrorCodes = ["FIELD_INTEGRITY_EXCEPTION", "SFDC-MAP-422"],
            Titles = ["Salesforce sync errors for some records", "SFDC sync: {code}", "Records not syncing to Salesforce"],
            Symptoms =
            [
                "Some records don't sync to Salesforce, the sync report shows {code} for about {n} of them.",
                "Since our Salesforce admin added a validation rule the sync fails with {code}.",
                "Salesforce sync partly broken, new items sync but updates fail: {code}.",
            ],
            LogLines = ["{ts} sfdc.sync record 0065g00000{n} failed: {code}: Status: bad value for restricted picklist field"],
            EvidenceSteps =
            [
                "Open the sync report for a failed record",
                "Compare the mapped field values with the Salesforce picklist and validation rules",
                "Check recent changes to the Salesforce object schema",
            ],
            Causes =
            [
                new("Mapped value is not in a restricted Salesforce picklist", 0.6),
                new("New Salesforce validation rule rejects records without a required field", 0.4),
            ],
            ResolutionSteps =
            [
                "Adjusted the field mapping to send an allowed picklist value",
                "Re-synced failed records",
            ],
            EscalationShare = 0.2,
            ReturnedShare = 0.35,
            EvidenceHours = 5.0,
            Tags = ["salesforce", "integration", "sync"],
            CloseTo = ["salesforce-oauth-invalid-grant"],
        },
        new()
        {
            Id = "salesforce-oauth-invalid-grant",
            Name = "Salesforce connection expires (invalid_grant)",
            ProductArea = Integrations,
            Components = ["Salesforce integration"],
            Platforms = ["Salesforce Sales Cloud", "Salesforce Sandbox"],
            ErrorCodes = ["invalid_grant", "SFDC-OAUTH-400"],
            Titles = ["Salesforce integration disconnected", "SFDC sync stopped: {code}", "Salesforce keeps asking to reconnect"],
            Symptoms =
            [
                "The Salesforce sync stopped completely and the integration page says {code}. We have to reconnect every few days.",
                "Salesforce sync errors: {code} (expired access/refresh token). Nothing syncs anymore.",
                "After our Salesforce password reset policy kicked in, the {product} integration shows {code}.",
            ],
            EvidenceSteps =
            [
                "Check the integration's last token refresh error",
                "Check the connected app session policies in Salesforce",
                "Check whether the connecting user's password was reset",
            ],
            Causes =
            [
                new("Connected app refresh token policy set to expire after a few days", 0.6),
                new("Password reset of the connecting Salesforce user revoked the refresh token", 0.4),
            ],
            ResolutionSteps =
            [
                "Set the refresh token policy to valid until revoked",
                "Reconnected the integration with an integration user",
            ],
            EscalationShare = 0.08,
            ReturnedShare = 0.15,
            EvidenceHours = 2.5,
            Trend = FamilyTrend.Fading,
            Tags = ["salesforce", "integration", "oauth"],
            CloseTo = ["salesforce-sync-field-mapping", "slack-notifications-not-posting"],
        },
        new()
        {
            Id = "jira-link-duplicate-issues",
            Name = "Jira integration creates duplicate issues",
            ProductArea = Integrations,
            Components = ["Jira integration"],
            Platforms = ["Jira Cloud", "Jira Data Center 9"],
            ErrorCodes = ["JIRA-DUP-207", "issue already linked"],
            Titles = ["Duplicate Jira issues created", "Jira integration creates 2 tickets", "jira sync duplicates ({code})"],
            Symptoms =
            [
                "Every item we send to {platform} creates two or three issues instead of one. Sync log shows {code}.",
                "The Jira integration duplicates issues when we edit the item right after creating it.",
                "We now have {n} duplicate Jira tickets from {product}, log says {code}.",
            ],
            EvidenceSteps =
            [
                "Check the integration event log for the duplicated item",
                "Check for automation rules that trigger on item update",
                "Check the webhook configuration on the Jira side",
            ],
            Causes =
            [
                new("An automation rule on item update fires the create action again", 0.6),
                new("Jira webhook registered twice after reinstalling the integration", 0.4),
            ],
            ResolutionSteps =
            [
                "Changed the automation trigger to item created only",
                "Removed the duplicate Jira webhook",
                "Merged the duplicate issues",
            ],
            EscalationShare = 0.3,
            ReturnedShare = 0.3,
            EvidenceHours = 4.0,
            Trend = FamilyTrend.Growing,
            Weight = 0.9,
            Tags = ["jira", "integration", "duplicates"],
        },
        new()
        {
            Id = "teams-connector-retired",
            Name = "Microsoft Teams connector retired",
            ProductArea = Integrations,
            Components = ["Teams integration"],
            Platforms = ["Microsoft Teams"],
            ErrorCodes = ["MSTEAMS-410", "connector retired"],
            Titles = ["Teams notifications gone", "MS Teams connector error {code}", "Teams integration stopped working"],
            Symptoms =
            [
                "Our Teams channel doesn't get notifications anymore since last week. The integration says {code}.",
                "Microsoft Teams integration shows {code}. Do we have to reconfigure something?",
                "Teams posts stopped, test message fails with {code}.",
            ],
            EvidenceSteps =
            [
                "Check whether the channel uses the old Office 365 connector",
                "Check the integration error log",
            ],
            Causes =
            [
                new("Microsoft retired Office 365 connectors; the channel still uses the legacy connector", 1.0),
            ],
            ResolutionSteps =
            [
                "Migrated the channel to the new Teams app integration (Workflows)",
            ],
            EscalationShare = 0.15,
            ReturnedShare = 0.1,
            EvidenceHours = 1.0,
            Trend = FamilyTrend.Sudden,
            StartMonth = 8,
            Weight = 1.0,
            Tags = ["teams", "integration", "notifications"],
        },

        // ---------------------------------------------------------------- Mobile
        new()
        {
            Id = "ios-push-not-delivered",
            Name = "iOS push notifications not delivered",
            ProductArea = Mobile,
            Components = ["Push notifications", "iOS app"],
            Platforms = ["iOS 17.5", "iOS 18.1", "iPadOS 17"],
            ErrorCodes = ["BadDeviceToken", "MOB-PUSH-410"],
            Titles = ["No push notifications on iPhone", "iOS app: notifications don't arrive", "push not working after new phone"],
            Symptoms =
            [
                "I don't get push notifications on my iPhone ({platform}) anymore. Android colleagues get them. Notification log shows {code}.",
                "Since I moved to a new iPhone, no push notifications from the {product} app, settings are on.",
                "Push notifications stopped on iOS after restoring from backup. Support page diagnostics: {code}.",
            ],
            EvidenceSteps =
            [
                "Check the push delivery log for the user's devices",
                "Check whether the device token is registered and valid",
                "Ask the user to sign out and in on the device",
            ],
            Causes =
            [
                new("Device restored from backup kept a stale APNs token", 0.7),
                new("Notifications disabled by a Focus mode", 0.3),
            ],
            ResolutionSteps =
            [
                "Removed stale device registrations",
                "Had the user sign out and back in to register a fresh token",
            ],
            EscalationShare = 0.1,
            ReturnedShare = 0.2,
            EvidenceHours = 3.0,
            Tags = ["mobile", "ios", "push"],
        },
        new()
        {
            Id = "android-crash-on-login",
            Name = "Android app crashes on login after app update",
            ProductArea = Mobile,
            Components = ["Android app", "Login"],
            Platforms = ["Android 14", "Android 13", "Samsung One UI 6"],
            ErrorCodes = ["MOB-AND-1001", "java.lang.NullPointerException"],
            Titles = ["Android app crashes when logging in", "App closes right after login (Android)", "android crash after update {version}"],
            Symptoms =
            [
                "Since updating the Android app to {version}, it crashes right after I enter my password. Phone: {platform}.",
                "The app closes immediately after SSO login on Android. Error report mentions {code}.",
                "Several of our field staff on {platform} can't use the app anymore, it crashes at login ({code}).",
            ],
            LogLines =
            [
                "FATAL EXCEPTION: main\n{code}: Attempt to invoke virtual method 'java.lang.String com.cobaltline.auth.Session.getWorkspaceId()' on a null object reference\n    at com.cobaltline.app.login.LoginActivity.onAuthComplete(LoginActivity.kt:212)",
            ],
            EvidenceSteps =
            [
                "Get the app version and crash report id",
                "Check the crash reporting dashboard for the stack trace",
                "Check whether the user belongs to more than one workspace",
            ],
            Causes =
            [
                new("App 7.4 crashes when a user with several workspaces logs in without a default workspace", 0.9),
                new("Corrupted local cache after the update", 0.1),
            ],
            ResolutionSteps =
            [
                "Workaround: set a default workspace in the web app",
                "Engineering released a hotfix app version",
            ],
            EscalationShare = 0.65,
            ReturnedShare = 0.2,
            EvidenceHours = 2.0,
            Trend = FamilyTrend.Sudden,
            StartMonth = 6,
            Weight = 1.3,
            Tags = ["mobile", "android", "crash", "regression"],
        },
        new()
        {
            Id = "mobile-offline-sync-conflict",
            Name = "Offline edits lost after sync conflict",
            ProductArea = Mobile,
            Components = ["Offline sync", "iOS app", "Android app"],
            Platforms = ["iOS 17.5", "Android 14", "Android 13"],
            ErrorCodes = ["MOB-SYNC-409", "sync conflict"],
            Titles = ["Changes made offline disappeared", "Offline edits lost", "Mobile sync conflict {code}"],
            Symptoms =
            [
                "I edited tasks on the plane and after landing my changes were gone. App shows {code}.",
                "Our technicians work offline on {platform}; when they come back online some updates vanish ({code}).",
                "Offline mode lost my notes, there was a message about {code} but I tapped it away.",
            ],
            EvidenceSteps =
            [
                "Check the item history for both versions",
                "Check the device's sync log for the conflict",
                "Check whether someone edited the item online at the same time",
            ],
            Causes =
            [
                new("Item was edited online while the device was offline and server-wins conflict resolution discarded the offline edit", 1.0),
            ],
            ResolutionSteps =
            [
                "Restored the offline version from item history",
                "Explained conflict handling and how to keep local copies",
            ],
            EscalationShare = 0.3,
            ReturnedShare = 0.35,
            EvidenceHours = 6.0,
            Weight = 0.8,
            Tags = ["mobile", "offline", "sync"],
        },

        // ---------------------------------------------------------------- Performance
        new()
        {
            Id = "dashboard-slow-large-workspace",
            Name = "Dashboards slow or timing out in large workspaces",
            ProductArea = Performance,
            Components = ["Dashboards", "Web app"],
            Platforms = ["Chrome 126", "Edge 126", "Firefox 128", "Safari 17"],
            ErrorCodes = ["HTTP 504", "PERF-DASH-TIMEOUT"],
            Titles = ["Dashboards extremely slow", "Dashboard won't load ({code})", "app is very slow today"],
            Symptoms =
            [
                "Our main dashboard takes over a minute to load and sometimes ends with {code}. We have about {n}k items.",
                "Everything is slow in {product} today, dashboards spin forever in {platform}, got {code} twice.",
                "The team dashboard has become unusable, widgets time out ({code}). Smaller workspaces are fine.",
            ],
            EvidenceSteps =
            [
                "Capture a HAR file of the slow dashboard load",
                "Identify the slowest widget queries",
                "Check workspace size and number of widgets",
                "Check the status page for an ongoing incident",
            ],
            Causes =
            [
                new("Widgets with 'all time' filters over very large workspaces", 0.6),
                new("Regional database load during an incident", 0.4),
            ],
            ResolutionSteps =
            [
                "Limited widget date ranges and split the dashboard",
                "Engineering added an index for the slow widget query",
            ],
            EscalationShare = 0.45,
            ReturnedShare = 0.4,
            EvidenceHours = 8.0,
            Trend = FamilyTrend.Growing,
            Weight = 1.1,
            Tags = ["performance", "dashboards"],
            CloseTo = ["report-query-timeout"],
        },
        new()
        {
            Id = "search-index-lag",
            Name = "New items missing from search",
            ProductArea = Performance,
            Components = ["Search"],
            Platforms = ["Web", "Chrome 126", "iOS 17.5"],
            ErrorCodes = ["SRCH-LAG-300", "index lag"],
            Titles = ["Search doesn't find new items", "New tasks missing from search results", "search out of date"],
            Symptoms =
            [
                "Items we created this morning don't show up in search. Older ones do. Search status says {code}.",
                "Search is behind by hours, new comments can't be found. Is there an issue? ({code})",
                "Our team can't find items created in the last {n} hours via search.",
            ],
            EvidenceSteps =
            [
                "Check the indexing lag metric for the workspace",
                "Check the status page",
                "Check whether a bulk import ran recently",
            ],
            Causes =
            [
                new("Bulk import of many items filled the indexing queue", 0.6),
                new("Indexing worker backlog during an incident", 0.4),
            ],
            ResolutionSteps =
            [
                "Prioritised the workspace in the indexing queue",
                "Explained that search catches up after bulk imports",
            ],
            EscalationShare = 0.25,
            ReturnedShare = 0.2,
            EvidenceHours = 3.0,
            Weight = 0.9,
            Tags = ["search", "performance"],
        },
        new()
        {
            Id = "report-query-timeout",
            Name = "Custom reports time out",
            ProductArea = Performance,
            Components = ["Reports", "Query engine"],
            Platforms = ["Web", "Chrome 126", "Power BI"],
            ErrorCodes = ["0x8004A1F2", "query exceeded 30s"],
            Titles = ["Report fails with {code}", "Custom report times out", "reports slow / error"],
            Symptoms =
            [
                "Our monthly custom report fails with {code} after loading for a while. It worked last quarter.",
                "Running the time-tracking report over 12 months gives error {code}. Shorter ranges work but are slow.",
                "Reports are slow and the big one ends in {code}. Power BI refresh also fails.",
            ],
            LogLines = ["{ts} ERROR reports.QueryEngine {code}: query exceeded 30s (rows scanned {n}000000)"],
            EvidenceSteps =
            [
                "Get the report id and the failing time range",
                "Check the query plan and row count in the report diagnostics",
                "Check for grouping by custom fields",
            ],
            Causes =
            [
                new("Grouping by a multi-select custom field explodes the row count", 0.7),
                new("Report spans more than 12 months of time entries without pre-aggregation", 0.3),
            ],
            ResolutionSteps =
            [
                "Rebuilt the report on the pre-aggregated dataset",
                "Removed the multi-select grouping",
            ],
            EscalationShare = 0.35,
            ReturnedShare = 0.25,
            EvidenceHours = 5.0,
            Trend = FamilyTrend.Fading,
            Tags = ["performance", "reports"],
            CloseTo = ["dashboard-slow-large-workspace"],
        },

        // ---------------------------------------------------------------- Notifications
        new()
        {
            Id = "email-notifications-dmarc",
            PlaybookIds = ["PB-0008"],
            Name = "Notification e-mails rejected or in spam (DMARC)",
            ProductArea = Notifications,
            Components = ["E-mail notifications"],
            Platforms = ["Microsoft 365", "Google Workspace", "Mimecast", "Proofpoint"],
            ErrorCodes = ["550 5.7.1", "NTF-DMARC-550"],
            Titles = ["Our users don't receive notification emails", "Emails from {product} bounce ({code})", "notification mails land in spam"],
            Symptoms =
            [
                "None of our users get notification emails since we moved to {platform}. Bounce log shows {code}.",
                "Emails from {product} go to spam or bounce with {code}. We send from our own domain.",
                "Invitation and notification mails don't arrive, the email log says {code}.",
            ],
            LogLines = ["{ts} smtp.out to=<user@{workspace}.example> status=bounced ({code} Message rejected due to DMARC policy)"],
            EvidenceSteps =
            [
                "Check the e-mail delivery log for bounces",
                "Check SPF and DKIM records for the custom sender domain",
                "Check the recipient gateway quarantine",
            ],
            Causes =
            [
                new("Custom sender domain has no DKIM record for Cobaltline, so DMARC fails", 0.7),
                new("Recipient gateway quarantines mails with tracking links", 0.3),
            ],
            ResolutionSteps =
            [
                "Customer published the DKIM CNAME records",
                "Verified the sender domain in notification settings",
            ],
            EscalationShare = 0.1,
            ReturnedShare = 0.15,
            EvidenceHours = 3.0,
            Tags = ["email", "notifications", "deliverability"],
        },
        new()
        {
            Id = "email-digest-duplicates",
            Name = "Daily digest sent several times",
            ProductArea = Notifications,
            Components = ["E-mail digest"],
            Platforms = ["Web"],
            ErrorCodes = ["NTF-DIG-208", "digest already sent"],
            Titles = ["Getting the daily digest 3 times", "Duplicate digest emails", "digest spam from {product}"],
            Symptoms =
            [
                "Since the update to {version} I receive the daily digest {n} times every morning.",
                "Our whole team gets duplicate digest emails, log shows {code}.",
                "Digest emails are sent multiple times per day now, people are annoyed.",
            ],
            EvidenceSteps =
            [
                "Check the digest send log for the user",
                "Check the user's digest schedule and timezone",
            ],
            Causes =
            [
                new("Digest scheduler in v4.12 enqueues a job per timezone change instead of replacing it", 1.0),
            ],
            ResolutionSteps =
            [
                "Engineering deduplicated scheduled digest jobs",
            ],
            EscalationShare = 0.5,
            ReturnedShare = 0.1,
            EvidenceHours = 2.0,
            Trend = FamilyTrend.Sudden,
            StartMonth = 9,
            Weight = 1.2,
            Tags = ["email", "digest", "regression"],
        },
    ];
}
