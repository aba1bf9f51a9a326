using System.Security.Cryptography;
using System.Text;

namespace Sip.Notification.Domain;

public static class DeliveryIds
{
    /// <summary>
    /// A stable id for what one event sets going (its reminder, its escalation) or for a recipient's digest of a day: the
    /// same input gives the same id, so a redelivered event or a second replica writes nothing twice (a UUID of version 8).
    /// </summary>
    public static Guid Derived(Guid source, string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{source:N}/{purpose}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
