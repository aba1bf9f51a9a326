using Sip.Load;

// Run by ./sip load and ./sip chaos (tests/run-load.sh), which start the platform and hand over tokens and addresses.
var settings = Settings.FromEnvironment();
return args.FirstOrDefault() switch
{
    "load" => await LoadRun.RunAsync(settings),
    "chaos" => await ChaosRun.RunAsync(settings),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Sip.Load load|chaos (through ./sip load or ./sip chaos)");
    return 2;
}
