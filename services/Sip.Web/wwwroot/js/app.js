// Enhanced navigation swaps the page without a load, so nothing tells a screen reader or the keyboard that a new page
// came: move focus to its heading, as a real page load would start there.
Blazor.addEventListener('enhancedload', () => {
    const heading = document.querySelector('main h1');
    if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
    }
});
