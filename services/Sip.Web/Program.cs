using Sip.ServiceDefaults;
using Sip.Web;
using Sip.Web.Auth;
using Sip.Web.Clients;
using Sip.Web.Components;
using Sip.Web.Components.Pages.Meetings;
using Sip.Web.Components.Pages.Plans;

var builder = WebApplication.CreateBuilder(args);
builder.AddOpenTelemetryDefaults();
builder.AddWebApp();          // Razor components (static SSR), Swedish culture, forwarded headers, health
builder.AddStaffSignIn();     // OIDC (code + PKCE) or, in Development, the demo users; cookie session, tickets kept server-side
builder.AddServiceClients();  // typed clients that call the services through the gateway with the user's token

var app = builder.Build();
app.UseWebDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets().AllowAnonymous();
app.MapSignInEndpoints();     // /inloggning, /utloggning, /enhet
app.MapRazorComponents<App>();
app.MapMeetingDocuments();   // letters (HTML, PDF) and calendar items, passed on from meeting-scheduling
app.MapPlanDocuments();      // a locked plan as a PDF, passed on from the case service
app.MapHealthEndpoints();
app.Run();

public partial class Program;
