using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Options;

/// <summary>The settings a client builds an import form from (*extra*): the host's options as they are, for any OU.</summary>
public class ImportFormSettingsTests
{
    [Fact]
    public async Task By_default_they_are_the_contracts_defaults()
    {
        using var harness = new ImportHarness();

        var settings = await harness.Service.GetSettingsAsync(ImportHarness.Ou, CancellationToken.None);

        // CONTRACT §3: the default profile fields; §1: 50 previews and 20 queued jobs per OU; §2: 10 MB, an hour.
        Assert.Equal(["first_name", "last_name", "company", "title", "notes", "website", "city", "country"], settings.ProfileFields);
        Assert.Equal([IdentifierKind.Email, IdentifierKind.Phone, IdentifierKind.Cookie, IdentifierKind.ExternalId, IdentifierKind.Social], settings.IdentifierKinds);
        Assert.Equal([ImportMode.Upsert, ImportMode.CreateOnly, ImportMode.UpdateOnly], settings.Modes);
        Assert.Equal(10L * 1024 * 1024, settings.MaxFileBytes);
        Assert.Null(settings.DefaultPhoneRegion);
        Assert.Equal(100, settings.MaxPageSize);
        Assert.Equal(TimeSpan.FromHours(1), settings.PreviewLifetime);
        Assert.Equal((50, 20), (settings.MaxPreviewsPerOu, settings.MaxQueuedJobsPerOu));
        Assert.Contains("US", settings.PhoneRegions);
        Assert.Contains("GB", settings.PhoneRegions);
        Assert.Equal(settings.PhoneRegions.Order(StringComparer.Ordinal), settings.PhoneRegions);
        Assert.All(settings.PhoneRegions, region => Assert.Matches("^[A-Z0-9]{2,3}$", region));
    }

    [Fact]
    public async Task They_follow_what_the_host_configured()
    {
        using var harness = new ImportHarness(o =>
        {
            o.ProfileFields = ["first_name", "loyalty_tier"];
            o.MaxFileBytes = 2048;
            o.DefaultPhoneRegion = "gb";
            o.PreviewLifetime = TimeSpan.FromMinutes(20);
            o.MaxPreviewsPerOu = 3;
            o.MaxQueuedJobsPerOu = 4;
        });

        var settings = await harness.Service.GetSettingsAsync("any-ou", CancellationToken.None);

        Assert.Equal(["first_name", "loyalty_tier"], settings.ProfileFields);
        Assert.Equal(2048, settings.MaxFileBytes);
        Assert.Equal("GB", settings.DefaultPhoneRegion);
        Assert.Equal(TimeSpan.FromMinutes(20), settings.PreviewLifetime);
        Assert.Equal((3, 4), (settings.MaxPreviewsPerOu, settings.MaxQueuedJobsPerOu));
    }
}
