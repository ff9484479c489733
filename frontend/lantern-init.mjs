// Start GOV.UK Frontend's JavaScript. A module script runs only in browsers that support ES
// modules, which is the same test govuk-frontend's page template makes in an inline <script>;
// Lantern's Content-Security-Policy forbids inline scripts, so the body classes are set here.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// Content that htmx swaps in needs its components started too. The search scope is the new
// element's parent, so a swapped element that is itself a component is found; components
// started before are skipped quietly (govuk-frontend reports them as an InitError).
document.body.addEventListener('htmx:load', (event) => {
  const element = event.detail.elt
  if (element === document.body) {
    return
  }
  initAll({
    scope: element.parentElement ?? element,
    onError: (error) => {
      if (error.name !== 'InitError') {
        console.error(error)
      }
    }
  })
})
