using System.Reflection;

namespace Switchboard.Storage;

/// <summary>One versioned schema change, read from an engine assembly's embedded <c>Migrations/NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>All migrations embedded in <paramref name="assembly"/>, in version order; duplicate versions are a build mistake.</summary>
    public static IReadOnlyList<Migration> LoadFrom(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var file = resource.Replace('\\', '/');
            if (!file.StartsWith("Migrations/", StringComparison.Ordinal) || !file.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var name = Path.GetFileNameWithoutExtension(file);
            var underscore = name.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(name[..underscore], out var version))
            {
                throw new InvalidOperationException($"Migration '{file}' must be named NNNN_description.sql.");
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, name[(underscore + 1)..], reader.ReadToEnd()));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }
        return migrations.OrderBy(m => m.Version).ToArray();
    }
}
