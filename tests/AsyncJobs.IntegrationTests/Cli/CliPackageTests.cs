using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Cli;

/// <summary>The CLI packs as a .NET tool (<c>dotnet tool install</c> can take the package): no topology needed.</summary>
public sealed class CliPackageTests
{
    private static readonly string Configuration =
        typeof(CliPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    [Fact]
    public async Task The_cli_packs_as_a_dotnet_tool_named_asyncjobs()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        var output = Directory.CreateTempSubdirectory("asyncjobs-cli-pack-");
        try
        {
            var project = Path.Combine(RepositoryRoot.Find(), "AsyncJobs.Cli", "AsyncJobs.Cli.csproj");
            var start = new ProcessStartInfo("dotnet", ["pack", project, "-c", Configuration, "--no-build", "-o", output.FullName, "-nologo", "-v", "q"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var pack = Process.Start(start)!;
            var stdout = pack.StandardOutput.ReadToEndAsync(deadline.Token);
            var stderr = pack.StandardError.ReadToEndAsync(deadline.Token);
            await pack.WaitForExitAsync(deadline.Token);
            pack.ExitCode.ShouldBe(0, $"dotnet pack failed:\n{await stdout}\n{await stderr}");

            var package = output.GetFiles("AsyncJobs.Cli.*.nupkg").ShouldHaveSingleItem();
            using var zip = ZipFile.OpenRead(package.FullName);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            entries.ShouldContain("tools/net10.0/any/AsyncJobs.Cli.dll", string.Join('\n', entries));
            entries.ShouldContain("tools/net10.0/any/AsyncJobs.Client.dll", string.Join('\n', entries));
            var settings = zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml").ShouldNotBeNull(string.Join('\n', entries));
            using var reader = new StreamReader(settings.Open());
            var xml = await reader.ReadToEndAsync(deadline.Token);
            xml.ShouldContain("<Command Name=\"asyncjobs\" EntryPoint=\"AsyncJobs.Cli.dll\"", Case.Sensitive, xml);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
