namespace Meridian.Backup;

/// <summary>An archive a restore refuses (damaged, truncated, tampered with, of a newer format, hostile), with what is wrong with it.</summary>
internal sealed class BackupArchiveException(string message, Exception? inner = null) : Exception(message, inner);
