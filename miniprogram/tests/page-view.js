// What a page shows: its template rendered with its data by WeChat's own WXML compiler (wcc, from
// miniprogram-compiler), as a tree of elements that a test searches by class and reads as text.
// Page tests drive a page with page-harness.js, then read what the resident would see, not only page.data.
const compiler = require('miniprogram-compiler')
const { ROOT } = require('./page-harness')

let gwx = null

/** The element tree of a page's template (a page from loadPage, or any { route, data }). */
function render({ route, data }) {
  if (!gwx) {
    // eslint-disable-next-line no-new-func
    gwx = new Function('window', compiler.wxmlToJs(ROOT))({ __webview_engine_version__: 0.02 })
  }
  return gwx(`${route}.wxml`)(data, {}, {})
}

/** Every element under node, in document order (wx:if and wx:for wrappers and text left out). */
function elements(node, out = []) {
  if (!node || typeof node !== 'object') return out
  if (node.tag !== 'virtual' && node.tag !== 'wx-page') out.push(node)
  ;(node.children || []).forEach(child => elements(child, out))
  return out
}

function classes(node) {
  return String((node.attr && node.attr.class) || '').split(/\s+/).filter(Boolean)
}

/** The elements carrying this class. */
function byClass(root, name) {
  return elements(root).filter(node => classes(node).includes(name))
}

/** The text an element shows, its children's included. */
function text(node) {
  if (typeof node === 'string') return node
  return ((node && node.children) || []).map(text).join('')
}

/** The page's root view (what carries `care`). */
function rootView(tree) {
  return elements(tree)[0]
}

module.exports = { render, elements, classes, byClass, text, rootView }
