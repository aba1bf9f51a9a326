using Sip.Consent;
using Sip.Consent.Apis;
using Sip.Consent.Grpc;
using Sip.Consent.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (await app.TryRunMigrateCommandAsync<ConsentDbContext>(args, ConsentDbContext.Schema))
{
    return;
}

app.UseServiceDefaults();
app.MapIndividualsApi();
app.MapConsentsApi();
app.MapAuditApi();
app.MapGrpcService<ConsentChecksService>();
app.MapGrpcHealthChecksService().AllowAnonymous();
app.MapDefaultEndpoints();
app.Run();
