using Grpc.Core;
using Sip.Contracts.Grpc.Case.V1;
using Sip.ServiceDefaults.Auth;

namespace Sip.Case.Grpc;

/// <summary>Tells another service, on a caller's behalf, which units the directory lists the caller in.</summary>
public sealed class StaffDirectoryService(DirectoryMembership directory) : StaffDirectory.StaffDirectoryBase
{
    public override async Task<GetMyMembershipsReply> GetMyMemberships(GetMyMembershipsRequest request, ServerCallContext context)
    {
        var reply = new GetMyMembershipsReply();
        foreach (var membership in await directory.MembershipsAsync(SipUser.From(context.GetHttpContext().User)))
        {
            reply.Memberships.Add(new Contracts.Grpc.Case.V1.UnitMembership { UnitId = membership.UnitId.ToString(), Roles = { membership.Roles } });
        }
        return reply;
    }
}
