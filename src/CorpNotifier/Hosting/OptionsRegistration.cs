using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Hosting;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to a configuration section and validates it when the host
    /// starts: every failure names the full configuration key, e.g. <c>RabbitMq:Host</c>.
    /// </summary>
    public static OptionsBuilder<T> AddSectionOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            if (results.Count == 0)
            {
                return ValidateOptionsResult.Success;
            }

            var failures = results.Select(r =>
            {
                var member = r.MemberNames.FirstOrDefault();
                var key = member is null ? section : $"{section}:{member}";
                return $"{key}: {r.ErrorMessage}";
            });
            return ValidateOptionsResult.Fail(failures);
        }
    }
}
