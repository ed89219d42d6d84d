using AsyncJobs.Cli;

return await CliApplication.RunAsync(args);
