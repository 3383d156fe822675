// The options' divisions as the subscription editor's picker walks them.
const places = require('../../utils/divisions')
const OPTIONS = require('../fixtures/subscription-options')

const names = rows => rows.map(r => r.label)

test('the tree goes 区 -> 街道 -> 社区 by parent, in the options\' order, and says which rows open', () => {
  const tree = places.buildTree(OPTIONS.divisions)
  expect(places.childrenOf(tree, '').map(r => [r.label, r.more])).toEqual([['罗湖区', true], ['福田区', true]])
  expect(names(places.childrenOf(tree, '440303'))).toEqual(['桂园街道', '东门街道'])
  expect(places.childrenOf(tree, '440303003').map(r => [r.label, r.where, r.more])).toEqual([
    ['湖贝社区', '罗湖区 东门街道', false], ['立新社区', '罗湖区 东门街道', false]])
  expect(names(places.pathOf(tree, '440304001004'))).toEqual(['福田区', '园岭街道', '百花社区'])
})

test('a division whose parent is not listed is found at the top, not lost', () => {
  const tree = places.buildTree(OPTIONS.divisions.concat({ value: '440305001', label: '南头街道', level: 'street', parent: '440305' }))
  expect(names(places.childrenOf(tree, ''))).toEqual(['罗湖区', '福田区', '南头街道'])
})

test('search matches every word typed, at any level, and stops at the limit', () => {
  const tree = places.buildTree(OPTIONS.divisions)
  expect(names(places.search(tree, '园'))).toEqual(['桂园街道', '园岭街道', '松园社区'])
  expect(names(places.search(tree, ' 园 社区 '))).toEqual(['松园社区'])
  expect(places.search(tree, '  ')).toEqual([])
  const many = Array.from({ length: 40 }, (_, i) => ({ value: `4403030030${10 + i}`, label: `第${i}社区`, level: 'community', parent: '440303003' }))
  expect(places.search(places.buildTree(OPTIONS.divisions.concat(many)), '社区')).toHaveLength(places.SEARCH_LIMIT)
})
