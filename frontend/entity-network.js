// The entity page's network chart, drawn with cytoscape.js over the server-drawn chart.
// The data comes from a <script type="application/json"> block the server wrote with only the
// records the user may see; the table beside the chart always gives the same information, so
// without JavaScript (or if this fails) nothing is lost.
/* global cytoscape */
(function () {
  'use strict'

  const KIND_COLOURS = {
    person: '#1d70b8',
    vehicle: '#d4351c',
    location: '#00703c',
    phone: '#4c2c92'
  }

  function readData () {
    const source = document.getElementById('network-data')
    if (!source) {
      return null
    }
    try {
      return JSON.parse(source.textContent)
    } catch (error) {
      console.error('Network data could not be read', error)
      return null
    }
  }

  function elementsFrom (data) {
    const nodes = data.nodes.map((node) => ({
      group: 'nodes',
      data: {
        id: String(node.id),
        label: node.label,
        kind: node.kind,
        url: node.url,
        centre: node.centre ? 1 : 0,
        colour: KIND_COLOURS[node.kind] || '#505a5f'
      }
    }))
    const edges = data.edges.map((edge) => ({
      group: 'edges',
      data: {
        id: `e${edge.source}-${edge.target}`,
        source: String(edge.source),
        target: String(edge.target),
        records: edge.records,
        width: edge.records > 3 ? 4 : edge.records > 1 ? 2 : 1
      }
    }))
    return nodes.concat(edges)
  }

  // cytoscape.js adds an inline <style> (position: relative for its container) unless an
  // element with this id exists. The Content-Security-Policy forbids inline styles, so the
  // rule lives in lantern.css and this placeholder tells cytoscape it is already there.
  function keepStylesInTheStylesheet () {
    const id = '__________cytoscape_stylesheet'
    if (!document.getElementById(id)) {
      const placeholder = document.createElement('template')
      placeholder.id = id
      document.head.append(placeholder)
    }
  }

  function draw () {
    const container = document.getElementById('network-canvas')
    const data = readData()
    if (!container || !data || typeof cytoscape !== 'function') {
      return
    }
    container.hidden = false
    keepStylesInTheStylesheet()
    const cy = cytoscape({
      container,
      elements: elementsFrom(data),
      layout: { name: 'concentric', concentric: (node) => (node.data('centre') ? 2 : 1), levelWidth: () => 1, minNodeSpacing: 30 },
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            'border-color': '#0b0c0c',
            'border-width': 1,
            label: 'data(label)',
            'font-size': 11,
            'text-valign': 'top',
            'text-margin-y': -4,
            color: '#0b0c0c',
            width: 20,
            height: 20
          }
        },
        { selector: 'node[centre = 1]', style: { width: 32, height: 32 } },
        { selector: 'edge', style: { width: 'data(width)', 'line-color': '#505a5f' } }
      ]
    })
    cy.on('tap', 'node', (event) => {
      const url = event.target.data('url')
      if (url) {
        window.location.assign(url)
      }
    })
    const fallback = document.getElementById('network-fallback')
    if (fallback) {
      fallback.hidden = true
    }
    container.dataset.nodes = String(cy.nodes().length)
    container.dataset.edges = String(cy.edges().length)
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw)
  } else {
    draw()
  }
})()
