using Microsoft.AspNetCore.Components;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Switchboard.Server.WebConsole.Layout;

public sealed partial class MainLayout
{
    private bool _dark;

    /// <summary>Set once the circuit runs the page, so a test (or a person) knows the buttons work.</summary>
    private bool _interactive;

    [Inject]
    public required IThemeService Themes { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _dark = await Themes.IsDarkModeAsync();
            _interactive = true;
            StateHasChanged();
        }
    }

    private async Task ToggleThemeAsync()
    {
        _dark = !_dark;
        await Themes.SetThemeAsync(_dark ? ThemeMode.Dark : ThemeMode.Light);
    }
}
