// The map's divisions as GET /api/v1/subscriptions/options lists them ({value, label, level, parent}), as a tree
// the subscription editor's picker walks: district -> street -> community, by `parent`, and searches by name.

const SEARCH_LIMIT = 30

/** Index the options' divisions: by value, and each one's children in the options' order. */
function buildTree(divisions) {
  const byValue = {}
  ;(divisions || []).forEach(d => { byValue[d.value] = d })
  const children = { '': [] }
  ;(divisions || []).forEach(d => {
    // A division whose parent is not listed is a root, so nothing listed is out of reach.
    const parent = d.parent && byValue[d.parent] ? d.parent : ''
    ;(children[parent] = children[parent] || []).push(d)
  })
  return { list: divisions || [], byValue, children }
}

/** The division and the ones containing it, outermost first. */
function pathOf(tree, value) {
  const path = []
  for (let d = tree.byValue[value]; d && !path.includes(d); d = tree.byValue[d.parent]) path.unshift(d)
  return path
}

/** One row of the picker: the division, where it is, whether it has divisions inside. */
function row(tree, d) {
  const where = pathOf(tree, d.value).slice(0, -1).map(p => p.label).join(' ')
  return { value: d.value, label: d.label, level: d.level, where, more: Boolean(tree.children[d.value]) }
}

/** The rows inside a division ('' for the top). */
function childrenOf(tree, parent) {
  return (tree.children[parent || ''] || []).map(d => row(tree, d))
}

/** Divisions whose name contains the words typed (any level), at most SEARCH_LIMIT, in the options' order
 * (districts, then streets, then communities). */
function search(tree, query) {
  const words = String(query || '').trim().split(/\s+/).filter(Boolean)
  if (!words.length) return []
  return tree.list
    .filter(d => words.every(w => d.label.includes(w)))
    .slice(0, SEARCH_LIMIT)
    .map(d => row(tree, d))
}

module.exports = { buildTree, pathOf, childrenOf, search, SEARCH_LIMIT }
