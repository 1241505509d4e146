using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Meridian.Hosting.Configuration;

/// <summary>
/// Binds and checks the options tree: a misspelt key or a bad value stops the process with a message that
/// names the setting, instead of being silently ignored.
/// </summary>
public static class OptionsValidator
{
    public static MeridianOptions BindAndValidate(IConfiguration configuration)
    {
        var section = configuration.GetSection(MeridianOptions.Section);
        var errors = new List<string>();
        CheckKeys(section, typeof(MeridianOptions), MeridianOptions.Section, errors);
        if (errors.Count > 0) throw new OptionsException(errors);

        var options = new MeridianOptions();
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsException([e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message]);
        }
        Validate(options, MeridianOptions.Section, errors);
        if (errors.Count > 0) throw new OptionsException(errors);
        return options;
    }

    private static void CheckKeys(IConfigurationSection section, Type type, string path, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                errors.Add($"{path}:{child.Key} is not a setting (known: {string.Join(", ", type.GetProperties().Select(p => p.Name))})");
                continue;
            }
            if (IsNested(property.PropertyType)) CheckKeys(child, property.PropertyType, $"{path}:{property.Name}", errors);
        }
    }

    private static void Validate(object options, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        errors.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        foreach (var property in options.GetType().GetProperties().Where(p => IsNested(p.PropertyType)))
        {
            if (property.GetValue(options) is { } nested) Validate(nested, $"{path}:{property.Name}", errors);
        }
    }

    private static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);
}

public sealed class OptionsException(IReadOnlyList<string> errors)
    : Exception("invalid configuration: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
