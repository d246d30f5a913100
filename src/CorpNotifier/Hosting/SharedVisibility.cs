namespace CorpNotifier.Hosting;

// AppJson is shared with the producers' test kit, where it is internal: see Intake/SharedVisibility.cs.

public static partial class AppJson;
