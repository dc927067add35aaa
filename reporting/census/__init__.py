"""The CIN census return of factors at the end of assessment: the return (selectors), its period
(forms), the page and its two downloads (views, urls)."""
