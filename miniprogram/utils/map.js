// Turning the server's GeoJSON into what WeChat's <map> takes. Coordinates are already GCJ-02:
// utils/api.js asks every map endpoint for coord=gcj02.
const format = require('./format')

// Marker ids must be numbers. Service points keep their own id; clusters (which have none) are
// numbered from here, far above any POI id the district will reach.
const CLUSTER_ID_BASE = 900000000
// From this zoom on, the viewport shows single points (joinCluster groups overlapping ones on the
// device); below it the server's clusters keep the answer small over 100k points.
const POINTS_MIN_ZOOM = 15
const MAX_ZOOM = 20

/** The map's region as the API's bbox "minLon,minLat,maxLon,maxLat". */
function bboxOf(region) {
  const sw = region.southwest
  const ne = region.northeast
  return [sw.longitude, sw.latitude, ne.longitude, ne.latitude].map(v => Number(v).toFixed(6)).join(',')
}

/** WeChat's map scale (3..20) as a Web Mercator zoom for the clusters endpoint. */
function zoomOf(scale) {
  return Math.min(Math.max(Math.round(Number(scale) || 0), 0), MAX_ZOOM)
}

function pointMarker(feature) {
  const [longitude, latitude] = feature.geometry.coordinates
  return {
    id: feature.id,
    longitude,
    latitude,
    title: feature.properties.name,
    width: 28,
    height: 34,
    joinCluster: true,
    callout: { content: feature.properties.name, display: 'BYCLICK', padding: 8, borderRadius: 8, fontSize: 13 },
  }
}

function clusterMarker(feature, index) {
  const [longitude, latitude] = feature.geometry.coordinates
  const count = feature.properties.point_count
  return {
    id: CLUSTER_ID_BASE + index,
    longitude,
    latitude,
    width: 1,
    height: 1,
    joinCluster: false,
    label: { content: String(count), color: '#ffffff', fontSize: 13, bgColor: '#1677ffdd', borderRadius: 18,
      padding: 8, anchorX: -14, anchorY: -14, textAlign: 'center' },
  }
}

/** Markers for a FeatureCollection of points and clusters, with a lookup from marker id to what it is. */
function markersFrom(collection) {
  const markers = []
  const lookup = {}
  ;(collection.features || []).forEach((feature, index) => {
    if (feature.properties && feature.properties.cluster) {
      const marker = clusterMarker(feature, index)
      markers.push(marker)
      lookup[marker.id] = { kind: 'cluster', longitude: marker.longitude, latitude: marker.latitude,
        expansionZoom: feature.properties.expansion_zoom, count: feature.properties.point_count }
    } else {
      markers.push(pointMarker(feature))
      lookup[feature.id] = { kind: 'poi', id: feature.id }
    }
  })
  return { markers, lookup }
}

/** The top-level categories of GET /api/v1/map/categories as tabs. */
function categoryTabs(tree) {
  return (tree || []).map(node => ({ code: node.code, name: node.name, count: node.count }))
}

/** The nearby list's items from a FeatureCollection, in the server's order. */
function listItems(collection) {
  return (collection.features || []).map(f => Object.assign({ id: f.id }, f.properties, {
    distanceText: format.distance(f.properties.distance_m),
  }))
}

module.exports = { bboxOf, zoomOf, markersFrom, categoryTabs, listItems, CLUSTER_ID_BASE, POINTS_MIN_ZOOM }
