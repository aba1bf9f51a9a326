// Stock YARP as its documentation's first example sets it up: the baseline the gateway is compared with.
// Routes and the port come from the command line (see tests/run-bench.sh).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
var app = builder.Build();
app.MapReverseProxy();
app.Run();
