using CorpNotifier.Contracts;

namespace CorpNotifier.Rules.Requests;

/// <summary>A request's status change, as the request letters read it: only a change into a status counts.</summary>
public static class RequestStatus
{
    public static bool BecameAccepted(ClientRequestStatusChanged evt) => Became(evt, ClientRequestStatuses.Accepted);

    public static bool BecameRejected(ClientRequestStatusChanged evt) => Became(evt, ClientRequestStatuses.Rejected);

    public static bool BecameAccepted(ManagerRequestStatusChanged evt) => Became(evt.Old.Status, evt.New.Status, ManagerRequestStatuses.Accepted);

    public static bool BecameRejected(ManagerRequestStatusChanged evt) => Became(evt.Old.Status, evt.New.Status, ManagerRequestStatuses.Rejected);

    private static bool Became(ClientRequestStatusChanged evt, string status) => Became(evt.Old.Status, evt.New.Status, status);

    private static bool Became(string old, string now, string status) => now == status && old != status;
}
