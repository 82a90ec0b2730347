using System.Text.Encodings.Web;
using Kenbun.LeadImport.Sample;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// http://localhost:5080 unless ASPNETCORE_URLS (or --urls) says otherwise.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

// The store, chosen by LeadImport:Storage: an embedded SQLite database (the default; a relative path is taken from the
// content root), or PostgreSQL, which any number of instances of this host share.
var leadImport = builder.Services.AddLeadImport();
var connectionString = builder.Configuration.GetConnectionString("LeadImport");
switch (builder.Configuration["LeadImport:Storage"] ?? "Sqlite")
{
    case var storage when storage.Equals("Sqlite", StringComparison.OrdinalIgnoreCase):
        leadImport.UseSqlite(connectionString ?? "Data Source=data/leads.db");
        break;
    case var storage when storage.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase):
        leadImport.UsePostgreSql(connectionString ?? throw new InvalidOperationException(
            "LeadImport:Storage is PostgreSql: set ConnectionStrings:LeadImport to an Npgsql connection string, e.g. Host=localhost;Username=postgres;Database=leads."));
        break;
    case var storage:
        throw new InvalidOperationException($"LeadImport:Storage is '{storage}'; the sample knows Sqlite (the default) and PostgreSql.");
}

builder.Services.AddOpenApi(options => options.AddLeadImport()); // enums, request bodies and the bearer scheme of the import API
builder.Services.AddHealthChecks().AddLeadImport();

// The sample's own read endpoints write + and non-ASCII names as they are, as the import API does.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
builder.Services.AddProblemDetails();
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery();
var authentication = builder.Services.AddAuthentication(DevSignIn.SchemeName);
if (builder.Environment.IsDevelopment())
{
    authentication.AddDevSignIn(); // bearer dev tokens for scripts, a cookie for the import page
}

var app = builder.Build();
app.UseStatusCodePages(); // 401s and 403s from authorization get a problem+json body too
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference("/docs"); // a page to try the API in a browser: Authorize with a dev token (Bearer)
}

app.MapHealthChecks("/health"); // storage reachable and writable, job worker running; open to load balancers
app.MapLeadImport().RequireAuthorization();
app.MapLeadImportUI().RequireAuthorization(); // the import page, /leads/import/ui/
if (app.Environment.IsDevelopment())
{
    app.MapDevSignIn("/leads/import/ui/");
}

app.MapLeadReads();

if (!app.Environment.IsDevelopment())
{
    app.Logger.LogWarning("The development bearer tokens exist only in the Development environment; configure real authentication to call the API.");
}

app.Run();

/// <summary>The sample host, visible to functional tests.</summary>
public partial class Program;
