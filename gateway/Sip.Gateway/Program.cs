using Sip.Gateway;
using Sip.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseMiddleware<CorrelationIdMiddleware>();
app.UseServiceDefaults();
app.UseRateLimiter();
app.MapOpenApiIndex();
var admission = app.Services.GetRequiredService<AdmissionControl>();
app.MapReverseProxy(proxy =>
{
    proxy.Use(admission.InvokeAsync);
    // What MapReverseProxy() without a pipeline adds.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
