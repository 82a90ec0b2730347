using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kenbun.LeadImport.Tests.Options;

/// <summary>Registration and options: bound from configuration, validated at start naming every bad value, safe to repeat.</summary>
public class LeadImportRegistrationTests
{
    [Fact]
    public void Defaults_are_the_contract_values()
    {
        var options = new LeadImportOptions();

        Assert.Equal(10 * 1024 * 1024, options.MaxFileBytes);
        Assert.Equal(500, options.MaxColumns);
        Assert.Equal(1024 * 1024, options.MaxRecordBytes);
        Assert.Equal(10_000, options.MaxCellLength);
        Assert.Equal(5, options.SampleRowCount);
        Assert.Equal(TimeSpan.FromHours(1), options.PreviewLifetime);
        Assert.Equal(50, options.MaxPreviewsPerOu);
        Assert.Equal(3, options.BatchRetryCount);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.StorageRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.StorageRetryMaxDelay);
        Assert.Equal(["first_name", "last_name", "company", "title", "notes", "website", "city", "country"], options.ProfileFields);
    }

    [Fact]
    public void Options_are_bound_from_the_LeadImport_section_and_a_configured_list_replaces_the_defaults()
    {
        using var provider = Build(
            new Dictionary<string, string?>
            {
                ["LeadImport:MaxFileBytes"] = "2048",
                ["LeadImport:PreviewLifetime"] = "00:10:00",
                ["LeadImport:ProfileFields:0"] = "first_name",
                ["LeadImport:ProfileFields:1"] = "shoe_size",
                ["LeadImport:FieldSynonyms:Schuhgröße"] = "shoe_size",
            });

        var options = provider.GetRequiredService<IOptions<LeadImportOptions>>().Value;

        Assert.Equal(2048, options.MaxFileBytes);
        Assert.Equal(TimeSpan.FromMinutes(10), options.PreviewLifetime);
        Assert.Equal(["first_name", "shoe_size"], options.ProfileFields);
        Assert.Equal("shoe_size", Assert.Single(options.FieldSynonyms, p => p.Key == "Schuhgröße").Value);
    }

    [Fact]
    public void Code_configuration_applies_after_the_configuration_section()
    {
        using var provider = Build(new Dictionary<string, string?> { ["LeadImport:MaxColumns"] = "10" }, o => o.MaxColumns = 20);

        Assert.Equal(20, provider.GetRequiredService<IOptions<LeadImportOptions>>().Value.MaxColumns);
    }

    [Fact]
    public async Task Bad_options_stop_the_host_at_start_naming_every_bad_value()
    {
        var error = await StartFailsAsync(new Dictionary<string, string?>
        {
            ["LeadImport:MaxFileBytes"] = "0",
            ["LeadImport:SampleRowCount"] = "-1",
            ["LeadImport:PreviewLifetime"] = "-00:01:00",
            ["LeadImport:ProfileFields:0"] = "city",
            ["LeadImport:ProfileFields:1"] = "City",
            ["LeadImport:ProfileFields:2"] = "_alias_email",
        });

        Assert.Equal(5, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("LeadImport:MaxFileBytes is 0", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("LeadImport:SampleRowCount is -1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("LeadImport:PreviewLifetime", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("\"City\" twice", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("\"_alias_email\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_retry_settings_are_checked_together()
    {
        var error = await StartFailsAsync(new Dictionary<string, string?>
        {
            ["LeadImport:BatchRetryCount"] = "-1",
            ["LeadImport:StorageRetryDelay"] = "00:01:00",
            ["LeadImport:StorageRetryMaxDelay"] = "00:00:30",
        });

        Assert.Equal(
            ["LeadImport:BatchRetryCount is -1; it must be 0 or more.", "LeadImport:StorageRetryDelay is 00:01:00; it must be zero or a positive duration no longer than StorageRetryMaxDelay."],
            error.Failures);
        Assert.Equal(
            "LeadImport:StorageRetryMaxDelay is 00:00:00; it must be a positive duration of at most one day.",
            Assert.Single(new LeadImportOptionsValidator().Validate(null, new LeadImportOptions { StorageRetryMaxDelay = TimeSpan.Zero, StorageRetryDelay = TimeSpan.Zero }).Failures!));
    }

    [Fact]
    public async Task The_default_phone_region_must_be_a_known_region_code_in_any_case()
    {
        var error = await StartFailsAsync(new Dictionary<string, string?> { ["LeadImport:DefaultPhoneRegion"] = "UK" });

        Assert.Equal(["LeadImport:DefaultPhoneRegion is UK; it must be unset or an ISO 3166 alpha-2 region code such as US, GB or DE."], error.Failures);
        Assert.Empty(new LeadImportOptionsValidator().Validate(null, new LeadImportOptions { DefaultPhoneRegion = "gb" }).Failures ?? []);
    }

    [Fact]
    public void Storage_classifies_its_own_failures_and_in_memory_knows_only_the_transient_ones()
    {
        using var inMemory = new ServiceCollection().AddLeadImport().UseInMemoryStores().Services.BuildServiceProvider();

        Assert.Same(DefaultStorageFailureClassifier.Instance, inMemory.GetRequiredService<LeadImportStorage>().FailureClassifier);
    }

    [Fact]
    public void Calling_AddLeadImport_twice_registers_each_service_once_and_keeps_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddLeadImport(o => o.MaxColumns = 7).UseInMemoryStores();
        services.AddLeadImport(o => o.SampleRowCount = 3);

        Assert.Single(services, d => d.ServiceType == typeof(ILeadImportService));
        Assert.Equal(4, services.Count(d => d.ServiceType == typeof(IHostedService))); // rewrites, sweep, worker, queue listeners
        Assert.Single(services, d => d.ServiceType == typeof(LeadImportStorage));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<LeadImportOptions>>().Value;
        Assert.Equal(7, options.MaxColumns);
        Assert.Equal(3, options.SampleRowCount);
        Assert.IsType<InMemoryStorage>(provider.GetRequiredService<LeadImportStorage>());
    }

    [Fact]
    public void The_time_provider_comes_from_the_container()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddLeadImport().UseInMemoryStores();

        using var provider = services.BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Without_a_store_resolving_the_import_says_how_to_choose_one()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLeadImport();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(provider.GetRequiredService<ILeadImportService>);

        Assert.Contains("UseInMemoryStores()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_faces_resolve_from_the_one_storage_and_a_later_choice_replaces_an_earlier_one()
    {
        var chosen = new InMemoryStorage(TimeProvider.System);
        var services = new ServiceCollection();
        services.AddLeadImport().UseInMemoryStores().UseStorage(_ => chosen);
        using var provider = services.BuildServiceProvider();

        Assert.Same(chosen, provider.GetRequiredService<LeadImportStorage>());
        Assert.Same(chosen.Files, provider.GetRequiredService<IImportFileStore>());
        Assert.Same(chosen.Jobs, provider.GetRequiredService<IJobStore>());
        Assert.Same(chosen.Leads, provider.GetRequiredService<ILeadStore>());
    }

    /// <summary>Starts a host configured with <paramref name="settings"/> and returns how its options validation failed.</summary>
    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLeadImport().UseInMemoryStores();
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public void A_setting_no_option_has_is_refused_naming_it()
    {
        using var provider = Build(new() { ["LeadImport:FileSweepInterval"] = "00:05:00" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<LeadImportOptions>>().Value);

        Assert.Contains("FileSweepInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_keys_of_the_choice_of_store_are_left_to_the_host_and_the_providers()
    {
        using var provider = Build(new()
        {
            ["LeadImport:Storage"] = "PostgreSql",
            ["LeadImport:PostgreSql:Schema"] = "crm_imports",
            ["LeadImport:MaxPreviewsPerOu"] = "7",
        });

        Assert.Equal(7, provider.GetRequiredService<IOptions<LeadImportOptions>>().Value.MaxPreviewsPerOu);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<LeadImportOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLeadImport(configure).UseInMemoryStores();
        return services.BuildServiceProvider();
    }
}
