using Sip.Case;
using Sip.Case.Apis;
using Sip.Case.Grpc;
using Sip.Case.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (await app.TryRunMigrateCommandAsync<CaseDbContext>(args, CaseDbContext.Schema))
{
    return;
}

app.UseServiceDefaults();
app.MapUnitsApi();
app.MapCasesApi();
app.MapPlansApi();
app.MapMessagesApi();
app.MapGrpcService<StaffDirectoryService>();
app.MapGrpcService<CaseAccessService>();
app.MapGrpcService<AuditReviewService>();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
