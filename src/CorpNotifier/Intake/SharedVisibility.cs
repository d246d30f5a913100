namespace CorpNotifier.Intake;

// The validation sources the service shares with the producers' test kit
// (contracts/CorpNotifier.Testing) declare their types without an access modifier, so the test kit
// keeps them internal (its public surface is its own EventValidation). The service makes them
// public here, as they always were (Hosting/SharedVisibility.cs does the same for AppJson).

public sealed partial class InvalidEventException;

public static partial class EventValidator;

public static partial class EventSchemas;

public sealed partial record EnvelopeReadResult;

public static partial class EventEnvelopeReader;

public static partial class EventTypes;
