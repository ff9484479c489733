// The hot-spot map, drawn with Leaflet over the table's data. Tiles come only from the server
// the operator set (LANTERN_MAP_TILE_URL); with none, the circles draw on a blank map. The
// table below the map always gives the same information.
/* global L */
(function () {
  'use strict'

  function readPoints () {
    const source = document.getElementById('hotspot-data')
    if (!source) {
      return []
    }
    try {
      return JSON.parse(source.textContent)
    } catch (error) {
      console.error('Hot-spot data could not be read', error)
      return []
    }
  }

  function link (point) {
    const anchor = document.createElement('a')
    anchor.className = 'govuk-link'
    anchor.href = point.url
    anchor.textContent = point.label
    const box = document.createElement('div')
    box.append(anchor, document.createElement('br'),
      `${point.mentions} mention${point.mentions === 1 ? '' : 's'} (period before: ${point.previous})`)
    return box
  }

  function draw () {
    const container = document.getElementById('hotspot-map')
    if (!container || typeof L === 'undefined') {
      return
    }
    const points = readPoints()
    const map = L.map(container, { scrollWheelZoom: false })
    const tiles = container.dataset.tileUrl
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: container.dataset.attribution || '' }).addTo(map)
    }
    const most = Math.max(1, ...points.map((point) => point.mentions))
    const markers = points.map((point) =>
      L.circleMarker([point.lat, point.lng], {
        radius: 6 + 14 * Math.sqrt(point.mentions / most),
        color: '#0b0c0c',
        weight: 1,
        fillColor: point.mentions > point.previous ? '#d4351c' : '#1d70b8',
        fillOpacity: 0.7
      }).bindPopup(link(point)).addTo(map)
    )
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 16 })
    } else {
      map.setView([54.0, -2.0], 6)
    }
    container.dataset.markers = String(markers.length)
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw)
  } else {
    draw()
  }
})()
