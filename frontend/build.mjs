// Build Lantern's front-end assets into the Django static folder:
//   node frontend/build.mjs   (npm run build)
// Compiles frontend/lantern.scss and copies the pinned npm packages' browser files, so the
// site serves everything itself: no CDN and no download at run time.
import { access, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const output = join(root, 'src', 'lantern', 'core', 'static', 'lantern')
const govukDist = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const htmxDist = join(root, 'node_modules', 'htmx.org', 'dist')
const cytoscapeDist = join(root, 'node_modules', 'cytoscape', 'dist')
const leafletDist = join(root, 'node_modules', 'leaflet', 'dist')
const clusterDist = join(root, 'node_modules', 'leaflet.markercluster', 'dist')

const copies = [
  [join(govukDist, 'govuk-frontend.min.js'), 'govuk-frontend.min.js'],
  [join(govukDist, 'govuk-frontend.min.js.map'), 'govuk-frontend.min.js.map'],
  // Images and the web app manifest; the GDS Transport fonts are not used by Lantern.
  [join(govukDist, 'assets', 'images'), join('assets', 'images')],
  [join(govukDist, 'assets', 'manifest.json'), join('assets', 'manifest.json')],
  [join(htmxDist, 'htmx.min.js'), 'htmx.min.js'],
  [join(root, 'frontend', 'lantern-init.mjs'), 'lantern-init.mjs'],
  // Lantern's own icon: browsers ask for one on every first visit (the GOV.UK crown is not ours).
  [join(root, 'frontend', 'favicon.svg'), 'favicon.svg'],
  // The entity page's network chart and the hot-spot map: progressive enhancement over tables.
  [join(cytoscapeDist, 'cytoscape.min.js'), join('vendor', 'cytoscape.min.js')],
  [join(leafletDist, 'leaflet.js'), join('vendor', 'leaflet', 'leaflet.js')],
  [join(leafletDist, 'leaflet.js.map'), join('vendor', 'leaflet', 'leaflet.js.map')],
  [join(leafletDist, 'leaflet.css'), join('vendor', 'leaflet', 'leaflet.css')],
  [join(leafletDist, 'images'), join('vendor', 'leaflet', 'images')],
  // Nearby hot spots grouped into one circle until the user zooms in.
  [join(clusterDist, 'leaflet.markercluster.js'), join('vendor', 'leaflet', 'leaflet.markercluster.js')],
  [join(clusterDist, 'leaflet.markercluster.js.map'), join('vendor', 'leaflet', 'leaflet.markercluster.js.map')],
  [join(clusterDist, 'MarkerCluster.css'), join('vendor', 'leaflet', 'MarkerCluster.css')],
  [join(root, 'frontend', 'entity-network.js'), 'entity-network.js'],
  [join(root, 'frontend', 'hotspot-map.js'), 'hotspot-map.js']
]

async function build () {
  // The output folder is generated (and git-ignored): start clean so no stale file is served.
  await rm(output, { recursive: true, force: true })
  await mkdir(output, { recursive: true })

  const result = await sass.compileAsync(join(root, 'frontend', 'lantern.scss'), {
    style: 'compressed',
    importers: [new sass.NodePackageImporter(root)],
    quietDeps: true
  })
  await writeFile(join(output, 'lantern.css'), result.css)

  for (const [source, target] of copies) {
    await cp(source, join(output, target), { recursive: true })
  }
  await checkSourceMaps(output)
  console.log(`Built front-end assets in ${output}`)
}

// Django's hashed static storage (whitenoise's CompressedManifestStaticFilesStorage) rewrites
// every `sourceMappingURL` it finds and refuses a file whose map is missing, which would stop
// `lantern collectstatic` in `make demo`. Fail the build here instead, naming the file.
async function checkSourceMaps (folder) {
  const missing = []
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(m?js|css)$/.test(entry.name)) continue
    const file = join(entry.parentPath, entry.name)
    const text = await readFile(file, 'utf8')
    for (const match of text.matchAll(/[#@] sourceMappingURL=([^\s*'"]+)/g)) {
      if (match[1].startsWith('data:')) continue
      const map = join(dirname(file), match[1])
      try {
        await access(map)
      } catch {
        missing.push(`${file} names ${match[1]}, which the build did not copy`)
      }
    }
  }
  if (missing.length) throw new Error(`Source maps missing:\n  ${missing.join('\n  ')}`)
}

build().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
