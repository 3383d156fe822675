// Load a page's Page({...}) definition with a fake wx and drive it as the framework would:
// a Page() shim captures the options object, and the instance gets data, setData and the methods.
const path = require('path')

const ROOT = path.join(__dirname, '..')

function parsePath(key) {
  const parts = []
  key.replace(/[^.[\]]+|\[(\d+)\]/g, (match, index) => {
    parts.push(index !== undefined ? Number(index) : match)
    return match
  })
  return parts
}

// setData semantics: keys may be paths such as 'form.name' or 'items[2].read'.
function applyPatch(data, patch) {
  Object.keys(patch).forEach(key => {
    const parts = parsePath(key)
    let target = data
    parts.slice(0, -1).forEach((part, i) => {
      if (target[part] === undefined || target[part] === null) target[part] = typeof parts[i + 1] === 'number' ? [] : {}
      target = target[part]
    })
    target[parts[parts.length - 1]] = clone(patch[key])
  })
}

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

function createApp(wx) {
  let captured = null
  global.wx = wx
  global.App = options => { captured = options }
  jest.isolateModules(() => require(path.join(ROOT, 'app.js')))
  const app = Object.assign({}, captured)
  app.globalData = clone(captured.globalData || {})
  return app
}

/** Load a page by its route ('pages/map/map') with this fake wx; returns the page instance. */
function loadPage(route, { wx, app } = {}) {
  let options = null
  global.wx = wx
  const theApp = app || createApp(wx)
  global.getApp = () => theApp
  global.Page = opts => { options = opts }
  global.getCurrentPages = () => [page]
  jest.isolateModules(() => require(path.join(ROOT, route)))
  if (!options) throw new Error(`${route} did not call Page()`)
  const page = { route, data: clone(options.data || {}), setDataCalls: [], app: theApp }
  Object.keys(options).forEach(key => {
    if (typeof options[key] === 'function') page[key] = options[key].bind(page)
    else if (key !== 'data') page[key] = options[key]
  })
  page.setData = (patch, callback) => {
    page.setDataCalls.push(clone(patch))
    applyPatch(page.data, patch)
    if (callback) callback()
  }
  return page
}

/** An event as a tap on an element with these data-* attributes and this detail. */
function tap(dataset = {}, detail = {}) {
  return { type: 'tap', currentTarget: { dataset }, target: { dataset }, detail }
}

module.exports = { loadPage, createApp, tap, ROOT }
