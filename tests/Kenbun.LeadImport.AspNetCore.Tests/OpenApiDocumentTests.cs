using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>
/// CONTRACT §7: the OpenAPI document shows every outcome of every endpoint — taken from the handlers' <c>Results&lt;…&gt;</c>
/// return types, so it cannot drift from them — with snake_case schemas, and the request bodies of preview and start.
/// </summary>
public partial class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_endpoint_lists_its_success_and_problem_statuses_including_401_403_and_storage_trouble()
    {
        var document = await DocumentAsync(app => app.MapGroup("/api").MapLeadImport());

        var statuses = Operations(document).ToDictionary(
            o => o.Key,
            o => o.Operation["responses"]!.AsObject().Select(r => int.Parse(r.Key, CultureInfo.InvariantCulture)).Order().ToArray());

        Assert.Equal(
            new Dictionary<string, int[]>
            {
                ["GET /api/leads/import/settings"] = [200, 401, 403, 500, 503, 507],
                ["POST /api/leads/import/preview"] = [200, 400, 401, 403, 408, 413, 415, 429, 500, 503, 507],
                ["DELETE /api/leads/import/previews/{fileId}"] = [204, 401, 403, 404, 500, 503, 507],
                ["POST /api/leads/import/start"] = [202, 400, 401, 403, 404, 409, 413, 429, 500, 503, 507],
                ["GET /api/leads/import/jobs"] = [200, 400, 401, 403, 500, 503, 507],
                ["GET /api/leads/import/jobs/{jobId}"] = [200, 401, 403, 404, 500, 503, 507],
                ["POST /api/leads/import/jobs/{jobId}/cancel"] = [200, 202, 401, 403, 404, 409, 500, 503, 507],
                ["DELETE /api/leads/import/jobs/{jobId}"] = [204, 401, 403, 404, 409, 500, 503, 507],
                ["GET /api/leads/import/jobs/{jobId}/errors"] = [200, 400, 401, 403, 404, 500, 503, 507],
                ["GET /api/leads/import/jobs/{jobId}/failed-rows.csv"] = [200, 401, 403, 404, 500, 503, 507],
            },
            statuses);
    }

    [Fact]
    public async Task Problems_are_problem_json_and_successes_are_the_response_schemas()
    {
        var document = await DocumentAsync(app => app.MapLeadImport());

        var bodies = Operations(document).SelectMany(o => o.Operation["responses"]!.AsObject().Select(r => (Response: $"{o.Key} {r.Key}", Content: r.Value!["content"])))
            .ToDictionary(r => r.Response, r => r.Content is JsonObject content ? string.Join(", ", content.Select(c => $"{c.Key} {SchemaName(c.Value!["schema"])}")) : "");

        Assert.All(
            bodies.Where(b => int.Parse(b.Key[^3..], CultureInfo.InvariantCulture) >= 400),
            b => Assert.Matches("^application/problem\\+json (ProblemDetails|HttpValidationProblemDetails)$", b.Value));
        Assert.Equal("application/json SettingsResponse", bodies["GET /leads/import/settings 200"]);
        Assert.Equal("application/json PreviewResponse", bodies["POST /leads/import/preview 200"]);
        Assert.Equal("", bodies["DELETE /leads/import/previews/{fileId} 204"]);
        Assert.Equal("application/json StartResponse", bodies["POST /leads/import/start 202"]);
        Assert.Equal("application/problem+json HttpValidationProblemDetails", bodies["POST /leads/import/start 400"]);
        Assert.Equal("application/json JobListResponse", bodies["GET /leads/import/jobs 200"]);
        Assert.Equal("application/json JobDetailResponse", bodies["GET /leads/import/jobs/{jobId} 200"]);
        Assert.Equal("application/json JobDetailResponse", bodies["POST /leads/import/jobs/{jobId}/cancel 202"]);
        Assert.Equal("", bodies["DELETE /leads/import/jobs/{jobId} 204"]);
        Assert.Equal("application/json ErrorPageResponse", bodies["GET /leads/import/jobs/{jobId}/errors 200"]);
        Assert.Equal("text/csv string", bodies["GET /leads/import/jobs/{jobId}/failed-rows.csv 200"]);
    }

    [Fact]
    public async Task Every_schema_of_ours_has_snake_case_properties_under_a_camel_case_host()
    {
        var document = await DocumentAsync(app => app.MapLeadImport());

        var ours = document["components"]!["schemas"]!.AsObject()
            .Where(s => s.Value!["properties"] is not null && s.Key is not ("ProblemDetails" or "HttpValidationProblemDetails"))
            .ToList();

        Assert.Equal(15, ours.Count);
        Assert.All(ours, s => Assert.All(s.Value!["properties"]!.AsObject(), p => Assert.Matches(SnakeCase(), p.Key)));
        Assert.Contains("created_count", document["components"]!["schemas"]!["JobDetailResponse"]!["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task The_request_bodies_are_described_and_a_wrong_content_type_still_gets_a_problem_not_an_empty_415()
    {
        await using var api = await TestApi.StartAsync(runJobs: false, host: b => b.Services.AddOpenApi(), endpoints: app => app.MapOpenApi());
        var document = JsonNode.Parse(await api.Client.GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!;

        var start = document["paths"]!["/leads/import/start"]!["post"]!["requestBody"]!;
        var preview = document["paths"]!["/leads/import/preview"]!["post"]!["requestBody"]!;
        var notJson = await api.Client.PostAsync("/leads/import/start", new StringContent("""{"file_id":"x"}""", System.Text.Encoding.UTF8, "text/plain"));
        var notMultipart = await api.PostJsonAsync("/leads/import/preview", """{"file":"x"}""");

        Assert.Equal("StartRequestBody", SchemaName(start["content"]!["application/json"]!["schema"]));
        Assert.Equal(["file_id", "primary_identifier"], schemas["StartRequestBody"]!["required"]!.AsArray().Select(r => r!.ToString()));
        Assert.Equal("PreviewUploadForm", SchemaName(preview["content"]!["multipart/form-data"]!["schema"]));
        Assert.Equal("binary", schemas["IFormFile"]!["format"]!.ToString());
        Assert.Equal(["file"], schemas["PreviewUploadForm"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("errors", (await TestApi.ExpectProblem(notJson, 400)).Select(p => p.Key));
        Assert.Equal("No file", (await TestApi.ExpectProblem(notMultipart, 400))["title"]!.ToString());
    }

    [Fact]
    public async Task The_erasure_endpoints_are_described_when_mapped_with_their_outcomes_and_snake_case_bodies()
    {
        var document = await DocumentAsync(app => app.MapGroup("/api").MapLeadImportErasure());
        var schemas = document["components"]!["schemas"]!;

        var operations = Operations(document).ToDictionary(
            o => o.Key,
            o => (Statuses: o.Operation["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal).ToArray(), Id: o.Operation["operationId"]!.ToString(), o.Operation));

        Assert.Equal(["DELETE /api/leads/import/ou-data", "POST /api/leads/import/erasure"], operations.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["200", "400", "401", "403", "404", "413", "500", "503", "507"], operations["POST /api/leads/import/erasure"].Statuses);
        Assert.Equal(["200", "401", "403", "500", "503", "507"], operations["DELETE /api/leads/import/ou-data"].Statuses);
        Assert.Equal("LeadImportForgetLead-/api/leads/import/erasure", operations["POST /api/leads/import/erasure"].Id);
        var forget = operations["POST /api/leads/import/erasure"].Operation;
        Assert.Equal("ErasureRequestBody", SchemaName(forget["requestBody"]!["content"]!["application/json"]!["schema"]));
        Assert.Equal("ErasureResponse", SchemaName(forget["responses"]!["200"]!["content"]!["application/json"]!["schema"]));
        Assert.Equal(["kind", "value"], schemas["ErasureRequestBody"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(
            ["lead_id", "identifiers_deleted", "errors_deleted", "warnings_deleted"], schemas["ErasureResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(
            ["leads_deleted", "identifiers_deleted", "jobs_deleted", "files_deleted"], schemas["OuDataDeletionResponse"]!["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Mapped_twice_the_document_has_both_mappings_with_unique_operation_ids()
    {
        var document = await DocumentAsync(app =>
        {
            app.MapGroup("/a").MapLeadImport();
            app.MapGroup("/b").MapLeadImport();
        });

        var operations = Operations(document).ToList();
        var ids = operations.Select(o => o.Operation["operationId"]!.ToString()).ToList();

        Assert.Equal(20, operations.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("LeadImportGetJob-/a/leads/import/jobs/{jobId}", ids);
        Assert.Contains("LeadImportGetJob-/b/leads/import/jobs/{jobId}", ids);
    }

    [Fact]
    public async Task Numbers_of_our_schemas_are_integers_even_without_AddLeadImport_though_the_host_reads_numbers_from_strings()
    {
        var document = await DocumentAsync(app => app.MapLeadImport());

        var numbers = OurProperties(document).Where(p => p.Schema["format"]?.ToString() is "int32" or "int64").ToList();

        Assert.Contains(numbers, p => p.Name == "JobSummaryResponse.total_rows");
        Assert.Contains(numbers, p => p.Name == "ErrorPageResponse.page");
        Assert.All(numbers, p => Assert.Equal("integer", p.Schema["type"]!.ToString()));
        Assert.All(numbers, p => Assert.Null(p.Schema["pattern"]));
    }

    [Fact]
    public async Task AddLeadImport_lists_statuses_modes_kinds_alias_targets_and_the_hosts_profile_fields_as_one_enum_component_each()
    {
        var document = await DocumentAsync(
            app => app.MapLeadImport(),
            o => o.AddLeadImport(),
            b => b.Services.Configure<LeadImportOptions>(o => o.ProfileFields = ["first_name", "loyalty_tier"]));
        var properties = OurProperties(document).ToDictionary(p => p.Name, p => p.Schema);
        var schemas = document["components"]!["schemas"]!;

        string[] Enum(string component) => [.. schemas[component]!["enum"]!.AsArray().Select(v => v!.ToString())];

        Assert.Equal(["queued", "in_progress", "completed", "failed", "cancelled"], Enum("LeadImportJobStatus"));
        Assert.Equal(["upsert", "create_only", "update_only"], Enum("LeadImportImportMode"));
        Assert.Equal(["email", "phone", "cookie", "external_id", "social"], Enum("LeadImportIdentifierKind"));
        Assert.Equal(["_alias_email", "_alias_phone", "_alias_cookie", "_alias_external_id", "_alias_social"], Enum("LeadImportAliasTarget"));
        Assert.Equal(["first_name", "loyalty_tier"], Enum("LeadImportProfileField"));
        Assert.All(schemas.AsObject().Where(s => s.Key.StartsWith("LeadImport", StringComparison.Ordinal)), s => Assert.Equal("string", s.Value!["type"]!.ToString()));

        Assert.Equal("LeadImportJobStatus", SchemaName(properties["JobSummaryResponse.status"]));
        Assert.Equal("LeadImportJobStatus", SchemaName(properties["JobDetailResponse.status"]));
        Assert.Equal("LeadImportJobStatus", SchemaName(properties["StartResponse.status"]));
        Assert.Equal("LeadImportImportMode", SchemaName(properties["StartRequestBody.mode"]));
        Assert.Equal("LeadImportImportMode", SchemaName(properties["JobDetailResponse.mode"]));
        Assert.Equal("LeadImportIdentifierKind", SchemaName(properties["PrimaryIdentifierBody.kind"]));
        Assert.Equal("LeadImportIdentifierKind", SchemaName(properties["IdentifierColumnResponse.kind"]));
        Assert.Equal("LeadImportAliasTarget", SchemaName(properties["StartRequestBody.alias_mappings"]["additionalProperties"]));
        Assert.Equal("LeadImportProfileField", SchemaName(properties["StartRequestBody.field_mappings"]["additionalProperties"]));
        Assert.Equal("LeadImportProfileField", SchemaName(properties["PreviewResponse.suggested_field_mappings"]["additionalProperties"]));

        // Lists name their items' values the same way, and stay arrays.
        Assert.Equal("LeadImportProfileField", SchemaName(properties["SettingsResponse.profile_fields"]["items"]));
        Assert.Equal("LeadImportIdentifierKind", SchemaName(properties["SettingsResponse.identifier_kinds"]["items"]));
        Assert.Equal("LeadImportAliasTarget", SchemaName(properties["SettingsResponse.alias_targets"]["items"]));
        Assert.Equal("LeadImportImportMode", SchemaName(properties["SettingsResponse.modes"]["items"]));
        Assert.All(["profile_fields", "identifier_kinds", "alias_targets", "modes", "phone_regions"], name => Assert.Equal("array", properties[$"SettingsResponse.{name}"]["type"]!.ToString()));
        Assert.Equal("string", properties["SettingsResponse.phone_regions"]["items"]!["type"]!.ToString());
        Assert.Null(properties["SettingsResponse.phone_regions"]["items"]!["enum"]);
        Assert.Equal("string", properties["PreviewResponse.headers"]["items"]!["type"]!.ToString());
    }

    [Fact]
    public async Task Without_AddLeadImport_lists_of_values_are_plain_string_arrays()
    {
        var document = await DocumentAsync(app => app.MapLeadImport());
        var properties = OurProperties(document).ToDictionary(p => p.Name, p => p.Schema);

        Assert.All(
            ["profile_fields", "identifier_kinds", "alias_targets", "modes"],
            name =>
            {
                Assert.Equal("array", properties[$"SettingsResponse.{name}"]["type"]!.ToString());
                Assert.Equal("string", properties[$"SettingsResponse.{name}"]["items"]!["type"]!.ToString());
                Assert.Null(properties[$"SettingsResponse.{name}"]["items"]!["enum"]);
            });
        Assert.DoesNotContain(document["components"]!["schemas"]!.AsObject(), s => s.Key.StartsWith("LeadImport", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddLeadImport_shows_the_scalars_of_request_bodies_as_clients_send_them_without_null()
    {
        var document = await DocumentAsync(app => app.MapLeadImport(), o => o.AddLeadImport());
        var properties = OurProperties(document).ToDictionary(p => p.Name, p => p.Schema);

        Assert.Equal("string", properties["StartRequestBody.file_id"]["type"]!.ToString());
        Assert.Contains("PrimaryIdentifierBody", properties["StartRequestBody.primary_identifier"]["oneOf"]!.AsArray().Select(SchemaName));
        Assert.Equal("boolean", properties["StartRequestBody.dry_run"]["type"]!.ToString());
        Assert.Equal("string", properties["PrimaryIdentifierBody.column"]["type"]!.ToString());
        Assert.Equal("[\"null\",\"string\"]", properties["JobDetailResponse.default_phone_region"]["type"]!.ToJsonString());
        Assert.Equal("[\"null\",\"string\"]", properties["JobDetailResponse.created_by"]["type"]!.ToJsonString());
        Assert.Equal("[\"null\",\"string\"]", properties["JobSummaryResponse.created_by"]["type"]!.ToJsonString());
        Assert.Equal("[\"null\",\"string\"]", properties["SettingsResponse.default_phone_region"]["type"]!.ToJsonString());
    }

    [Fact]
    public async Task A_row_error_s_detail_is_optional_since_only_a_malformed_row_has_one()
    {
        var document = await DocumentAsync(app => app.MapLeadImport());

        var rowError = document["components"]!["schemas"]!["RowErrorResponse"]!;

        Assert.Equal(["row", "error", "value"], rowError["required"]!.AsArray().Select(r => r!.ToString()));
        Assert.NotNull(rowError["properties"]!["detail"]);
    }

    [Fact]
    public async Task AddLeadImport_marks_the_detail_of_problems_as_the_error_message_for_generated_clients()
    {
        var document = await DocumentAsync(app => app.MapLeadImport(), o => o.AddLeadImport());

        var problems = document["components"]!["schemas"]!.AsObject().Where(s => s.Key.EndsWith("ProblemDetails", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal("true", p.Value!["properties"]!["detail"]!["x-ms-primary-error-message"]!.ToJsonString()));
    }

    [Fact]
    public async Task The_list_endpoints_declare_page_and_limit_as_bounded_integers()
    {
        var document = await DocumentAsync(app => app.MapLeadImport());

        foreach (var path in new[] { "/leads/import/jobs", "/leads/import/jobs/{jobId}/errors" })
        {
            var parameters = document["paths"]![path]!["get"]!["parameters"]!.AsArray().Where(p => p!["in"]!.ToString() == "query").ToDictionary(p => p!["name"]!.ToString(), p => p!["schema"]!);
            Assert.Equal(["page", "limit"], parameters.Keys);
            Assert.All(parameters.Values, schema => Assert.Equal("integer", schema["type"]!.ToString()));
            Assert.Equal("1", parameters["page"]["minimum"]!.ToJsonString());
            Assert.Equal(LeadImportOptions.MaxPageSize.ToString(CultureInfo.InvariantCulture), parameters["limit"]["maximum"]!.ToJsonString());
            Assert.Equal("25", parameters["limit"]["default"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task The_security_scheme_is_required_where_the_host_requires_authorization_and_nowhere_else()
    {
        var document = await DocumentAsync(
            app =>
            {
                app.MapGroup("/secured").MapLeadImport().RequireAuthorization();
                app.MapGroup("/open").MapLeadImport();
                app.MapGet("/host", () => "the host's own").RequireAuthorization();
            },
            o => o.AddLeadImport());

        var secured = Operations(document).ToDictionary(o => o.Key, o => o.Operation["security"]?.ToJsonString());

        Assert.Equal("http", document["components"]!["securitySchemes"]!["Bearer"]!["type"]!.ToString());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.ToString());
        Assert.All(secured.Where(o => o.Key.Contains(" /secured/", StringComparison.Ordinal)), o => Assert.Equal("[{\"Bearer\":[]}]", o.Value));
        Assert.All(secured.Where(o => o.Key.Contains(" /open/", StringComparison.Ordinal)), o => Assert.Null(o.Value));
        Assert.Null(secured["GET /host"]);
    }

    [Fact]
    public async Task The_host_names_its_own_scheme_and_keeps_its_declaration()
    {
        var document = await DocumentAsync(
            app => app.MapLeadImport().RequireAuthorization(),
            o => o
                .AddDocumentTransformer((d, _, _) =>
                {
                    d.AddComponent("Cookies", new Microsoft.OpenApi.OpenApiSecurityScheme { Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey, In = Microsoft.OpenApi.ParameterLocation.Cookie, Name = "session" });
                    return Task.CompletedTask;
                })
                .AddLeadImport(l => l.SecuritySchemeName = "Cookies"));

        var schemes = document["components"]!["securitySchemes"]!.AsObject();

        Assert.Equal(["Cookies"], schemes.Select(s => s.Key));
        Assert.Equal("session", schemes["Cookies"]!["name"]!.ToString());
        Assert.All(Operations(document), o => Assert.Equal("[{\"Cookies\":[]}]", o.Operation["security"]!.ToJsonString()));
    }

    [Fact]
    public async Task Without_a_scheme_name_no_security_is_declared()
    {
        var document = await DocumentAsync(app => app.MapLeadImport().RequireAuthorization(), o => o.AddLeadImport(l => l.SecuritySchemeName = null));

        Assert.Null(document["components"]!["securitySchemes"]);
        Assert.All(Operations(document), o => Assert.Null(o.Operation["security"]));
    }

    private static IEnumerable<(string Name, JsonNode Schema)> OurProperties(JsonNode document) =>
        document["components"]!["schemas"]!.AsObject()
            .Where(s => s.Value!["properties"] is not null && s.Key is not ("ProblemDetails" or "HttpValidationProblemDetails"))
            .SelectMany(s => s.Value!["properties"]!.AsObject().Select(p => ($"{s.Key}.{p.Key}", p.Value!)));

    private static async Task<JsonNode> DocumentAsync(Action<WebApplication> mapLeadImport, Action<OpenApiOptions>? openApi = null, Action<WebApplicationBuilder>? host = null)
    {
        await using var api = await TestApi.StartAsync(
            runJobs: false,
            host: b =>
            {
                b.Services.AddOpenApi(o => openApi?.Invoke(o));
                b.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
                host?.Invoke(b);
            },
            endpoints: app => app.MapOpenApi(),
            mapLeadImport: mapLeadImport);
        return JsonNode.Parse(await api.Client.GetStringAsync("/openapi/v1.json"))!;
    }

    private static IEnumerable<(string Key, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(o => ($"{o.Key.ToUpperInvariant()} {path.Key}", o.Value!)));

    private static string SchemaName(JsonNode? schema) =>
        schema?["$ref"]?.ToString().Split('/')[^1] ?? schema?["type"]?.ToString() ?? "";

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
