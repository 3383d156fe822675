// Rendering the mini-program's components with miniprogram-simulate and WeChat's own template compiler.
const path = require('path')
const simulate = require('miniprogram-simulate')

const ROOT = path.join(__dirname, '..', '..')

// A component's script runs once per test file (Node caches the module), so it is loaded once.
const loaded = {}

/** Render components/<name>/index with these properties, attached to a page-like parent. */
function render(name, properties = {}) {
  if (!loaded[name]) loaded[name] = simulate.load(path.join(ROOT, `components/${name}/index`), { rootPath: ROOT })
  const id = loaded[name]
  const comp = simulate.render(id, properties)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

/** Record the events a component triggers. */
function listen(comp, ...names) {
  const seen = []
  names.forEach(name => comp.addEventListener(name, e => seen.push({ name, detail: e.detail })))
  return seen
}

/** The text of every element matching a selector. */
function texts(comp, selector) {
  return comp.querySelectorAll(selector).map(node => node.dom.textContent.trim())
}

/** A rendered element's attribute as the template bound it (for built-ins such as rich-text). */
function boundAttr(node, name) {
  const attr = node.toJSON().attrs.find(a => a.name === name)
  return attr ? attr.value : undefined
}

/** What a screen reader is told about an element: its aria-role and aria-label as bound. */
function aria(node) {
  return { role: boundAttr(node, 'ariaRole'), label: boundAttr(node, 'ariaLabel') }
}

module.exports = { render, listen, texts, boundAttr, aria, simulate, ROOT }
