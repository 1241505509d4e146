using System.Globalization;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Http;

/// <summary>
/// The <c>limit</c> query parameter of the job and delivery lists: absent means the default, else one integer
/// from 1 to the maximum. Read here rather than bound by the minimal API, whose failed binding (<c>limit=abc</c>,
/// <c>limit=1e309</c>) is a bare 400 that names nothing.
/// </summary>
public static class ListLimit
{
    public static int Parse(HttpRequest request, int defaultLimit, int maxLimit)
    {
        var values = request.Query["limit"];
        if (values.Count == 0) return defaultLimit;
        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > maxLimit)
            throw ProblemException.InvalidParameter("limit", $"limit must be one integer from 1 to {maxLimit}.");
        return limit;
    }
}
