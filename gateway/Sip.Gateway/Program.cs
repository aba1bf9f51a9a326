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
app.MapReverseProxy();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
