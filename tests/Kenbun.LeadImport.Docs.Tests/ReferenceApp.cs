using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>
/// A host as the docs describe one, built but never started: the lead import on in-memory storage, with both
/// <c>MapLeadImport()</c> and <c>MapLeadImportErasure()</c> mapped at their default prefix.
/// </summary>
public static class ReferenceApp
{
    /// <summary>Builds the app; the caller disposes it.</summary>
    public static WebApplication Build()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddLeadImport().UseInMemoryStores();
        var app = builder.Build();
        app.MapLeadImport();
        app.MapLeadImportErasure();
        return app;
    }
}
