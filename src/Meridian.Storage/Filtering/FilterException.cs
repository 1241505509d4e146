namespace Meridian.Storage.Filtering;

/// <summary>
/// A filter that passed the binder yet cannot be run on this store or on these values: a construct the store
/// does not translate, or arithmetic the database refuses (an overflow). The client's filter is at fault, so the
/// API answers with a 400 naming the message.
/// </summary>
public sealed class FilterException : Exception
{
    public FilterException(string message)
        : base(message)
    {
    }

    public FilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
