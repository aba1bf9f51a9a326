namespace Sip.Messaging;

/// <summary>
/// Wakes a background worker that otherwise sleeps until its fallback poll. Any number of
/// <see cref="Set"/> calls while it works collapse into one pending wake-up, so it never spins.
/// </summary>
public sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already set: one pending wake-up is enough.
            }
        }
    }

    /// <summary>A wake-up is pending: the worker will run again at once.</summary>
    public bool IsSet => _semaphore.CurrentCount > 0;

    /// <summary>Returns when set, or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);

    public void Dispose() => _semaphore.Dispose();
}
