// The hot-spot map, drawn with Leaflet over the table's data. The wards' boundaries come with
// the page (the demo's fictional ones, or an installation's own from
// `lantern places import-boundaries`), so the map is readable with no tile server; street tiles
// come only from the server the operator set (LANTERN_MAP_TILE_URL). Circles are sized by
// mentions and grouped when they are close together. The table below always gives the same
// information.
/* global L */
(function () {
  'use strict'

  // Keep these in step with the legend's swatches in frontend/_entities.scss.
  const RISING = '#d4351c' // GOV.UK red: more mentions than the period before
  const STEADY = '#1d70b8' // GOV.UK blue: the same or fewer
  const WARD_LINE = '#505a5f'

  function readJson (id, fallback) {
    const source = document.getElementById(id)
    if (!source) {
      return fallback
    }
    try {
      return JSON.parse(source.textContent) || fallback
    } catch (error) {
      console.error('Map data could not be read', id, error)
      return fallback
    }
  }

  function popup (point) {
    const anchor = document.createElement('a')
    anchor.className = 'govuk-link'
    anchor.href = point.url
    anchor.textContent = point.label
    const box = document.createElement('div')
    box.append(anchor, document.createElement('br'),
      `${point.mentions} mention${point.mentions === 1 ? '' : 's'} (period before: ${point.previous})`)
    return box
  }

  function wardLayer (wards) {
    const most = Math.max(1, ...wards.features.map((f) => f.properties.mentions))
    return L.geoJSON(wards, {
      style: (feature) => ({
        color: WARD_LINE,
        weight: 1.5,
        fillColor: STEADY,
        // Wards shade lightly by the mentions of their hot spots; an empty ward stays pale.
        fillOpacity: 0.04 + 0.22 * (feature.properties.mentions / most)
      }),
      onEachFeature: (feature, layer) => {
        const { name, mentions } = feature.properties
        layer.bindTooltip(`${name}: ${mentions} mention${mentions === 1 ? '' : 's'}`, { sticky: true })
      }
    })
  }

  function clusterIcon (cluster) {
    const count = cluster.getAllChildMarkers().reduce((sum, m) => sum + (m.options.mentions || 0), 0)
    const size = 30 + Math.min(30, Math.round(Math.sqrt(count) * 2))
    return L.divIcon({
      html: `<span>${count}</span>`,
      className: 'lantern-map__cluster',
      iconSize: L.point(size, size)
    })
  }

  function legend () {
    const control = L.control({ position: 'bottomleft' })
    control.onAdd = () => {
      const box = L.DomUtil.create('div', 'lantern-map__legend')
      box.innerHTML =
        '<p class="lantern-map__legend-title">Key</p>' +
        '<p><span class="lantern-map__swatch lantern-map__swatch--rising"></span>More mentions than the period before</p>' +
        '<p><span class="lantern-map__swatch lantern-map__swatch--steady"></span>The same or fewer</p>' +
        '<p><span class="lantern-map__swatch lantern-map__swatch--cluster"></span>Hot spots grouped (total mentions)</p>' +
        '<p><span class="lantern-map__swatch lantern-map__swatch--ward"></span>Ward, darker with more mentions</p>' +
        '<p>Larger circles: more mentions</p>'
      return box
    }
    return control
  }

  function draw () {
    const container = document.getElementById('hotspot-map')
    if (!container || typeof L === 'undefined') {
      return
    }
    const points = readJson('hotspot-data', [])
    const wards = readJson('hotspot-wards', { type: 'FeatureCollection', features: [] })
    const map = L.map(container, { scrollWheelZoom: false, maxZoom: 18 })
    const tiles = container.dataset.tileUrl
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: container.dataset.attribution || '' }).addTo(map)
    }
    const outlines = wards.features.length ? wardLayer(wards).addTo(map) : null
    const most = Math.max(1, ...points.map((point) => point.mentions))
    const markers = points.map((point) =>
      L.circleMarker([point.lat, point.lng], {
        radius: 6 + 14 * Math.sqrt(point.mentions / most),
        color: '#0b0c0c',
        weight: 1,
        fillColor: point.mentions > point.previous ? RISING : STEADY,
        fillOpacity: 0.8,
        mentions: point.mentions
      }).bindPopup(popup(point))
    )
    const group = typeof L.markerClusterGroup === 'function'
      ? L.markerClusterGroup({ iconCreateFunction: clusterIcon, showCoverageOnHover: false, maxClusterRadius: 40 })
      : L.featureGroup()
    markers.forEach((marker) => group.addLayer(marker))
    group.addTo(map)
    legend().addTo(map)
    if (outlines) {
      map.fitBounds(outlines.getBounds().pad(0.05))
    } else if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 16 })
    } else {
      map.setView([54.0, -2.0], 6)
    }
    container.dataset.markers = String(markers.length)
    container.dataset.wards = String(wards.features.length)
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw)
  } else {
    draw()
  }
})()
