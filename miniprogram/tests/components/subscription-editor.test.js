/** @jest-environment jsdom */
const { render, listen, texts, boundAttr, aria, simulate } = require('./helpers')
const OPTIONS = require('../fixtures/subscription-options')
const layout = require('../../utils/subscriptions')

// The resident's own community, street and district, as GET /api/v1/map/locate names them.
const LOCATED = [
  { code: '440303003003', name: '立新社区', level: 'community' },
  { code: '440303003', name: '东门街道', level: 'street' },
  { code: '440303', name: '罗湖区', level: 'district' },
]

function editor(value, names = {}) {
  const sections = layout.editorSections(OPTIONS, { divisions: LOCATED, chosen: value && value.criteria, names })
  return render('subscription-editor', { sections, frequencies: OPTIONS.frequencies, value, divisions: OPTIONS.divisions })
}

async function tapChoice(comp, group, label) {
  const choice = comp.querySelectorAll(`#group-${group} .choice`).find(c => c.dom.textContent.trim() === label)
  choice.dispatchEvent('tap')
  await simulate.sleep(0)
}

async function save(comp) {
  const events = listen(comp, 'save')
  comp.querySelector('#save').dispatchEvent('tap')
  await simulate.sleep(0)
  return events
}

test('groups come from the server\'s options, with the resident\'s own divisions', () => {
  const comp = editor(null)
  expect(texts(comp, '.group-label').slice(0, 5)).toEqual(['主题分类', '发布机构', '文种', '五公开', '区域'])
  expect(texts(comp, '#group-divisions .choice')).toEqual(['立新社区', '东门街道', '罗湖区'])
  expect(texts(comp, '#group-topics .choice')).toEqual(['教育', '卫生、体育', '民政扶贫救灾'])
  // A resident's editor leaves out the enterprise-only criteria.
  expect(comp.querySelector('#group-industries')).toBeUndefined()
  expect(texts(comp, '.choice.on')).toEqual(['即时推送'])
})

test('a parent following 教育 in their community, once a day', async () => {
  const comp = editor(null)
  await tapChoice(comp, 'topics', '教育')
  await tapChoice(comp, 'divisions', '立新社区')
  comp.querySelector('#keywords').dispatchEvent('input', { detail: { value: '学位 ，招生、 学位' } })
  const frequency = comp.querySelectorAll('.choice').find(c => c.dom.textContent.trim() === '每日摘要（8:30）')
  frequency.dispatchEvent('tap')
  await simulate.sleep(0)
  const events = await save(comp)
  expect(events).toEqual([{ name: 'save', detail: {
    criteria: { topics: ['education'], agencies: [], doc_types: [], disclosures: [], divisions: ['440303003003'], keywords: ['学位', '招生'] },
    frequency: 'daily',
  } }])
})

test('editing shows what was chosen; a second tap removes a choice', async () => {
  const value = { criteria: { topics: ['civil_affairs_relief', 'health'], divisions: ['440304001'], keywords: ['长者饭堂'] }, frequency: 'weekly' }
  const comp = editor(value)
  // 440304001 was chosen elsewhere: the options' divisions name it.
  expect(texts(comp, '.choice.on')).toEqual(['卫生、体育', '民政扶贫救灾', '园岭街道', '每周摘要（周一 8:30）'])
  expect(boundAttr(comp.querySelector('#keywords'), 'value')).toBe('长者饭堂')
  await tapChoice(comp, 'topics', '卫生、体育')
  await tapChoice(comp, 'divisions', '园岭街道')
  const [event] = await save(comp)
  expect(event.detail.criteria.topics).toEqual(['civil_affairs_relief'])
  expect(event.detail.criteria.divisions).toEqual([])
  expect(event.detail.criteria.keywords).toEqual(['长者饭堂'])
  expect(event.detail.frequency).toBe('weekly')
})

test('too many keywords are refused before asking the server', async () => {
  const comp = editor(null)
  const many = Array.from({ length: 21 }, (_, i) => `词${i}`).join(' ')
  comp.querySelector('#keywords').dispatchEvent('input', { detail: { value: many } })
  await simulate.sleep(0)
  expect(await save(comp)).toEqual([])
  expect(texts(comp, '.error')).toEqual(['关键词最多20个'])
})

test('a division chosen elsewhere shows its name when the server knows it, else its code', () => {
  const value = { criteria: { divisions: ['440304001', '440305'] }, frequency: 'weekly' }
  const comp = editor(value, { '440304001': '园岭街道' })
  expect(texts(comp, '#group-divisions .choice')).toEqual(['立新社区', '东门街道', '罗湖区', '园岭街道', '440305'])
  expect(texts(comp, '#group-divisions .choice.on')).toEqual(['园岭街道', '440305'])
})


// The division picker: the options' divisions as a tree (区 -> 街道 -> 社区, by parent), or found by name.
async function tapNode(node) {
  node.dispatchEvent('tap')
  await simulate.sleep(0)
}

/** A row of the picker by its name: its name (tap: open or choose), its 选择 button and where it is. */
function placeRow(comp, label) {
  const index = texts(comp, '.place-label').indexOf(label)
  const name = comp.querySelectorAll('.place-name')[index]
  return { name, pick: comp.querySelectorAll('.place-pick')[index], where: name.dom.textContent.trim().slice(label.length).replace('›', '').trim() }
}

const rowNames = comp => texts(comp, '.place-label')

async function search(comp, query) {
  comp.querySelector('#place-search').dispatchEvent('input', { detail: { value: query } })
  await simulate.sleep(0)
}

test('a resident follows their parents\' community by walking 区 -> 街道 -> 社区', async () => {
  const comp = editor(null)
  expect(comp.querySelector('#place-picker')).toBeUndefined()
  await tapNode(comp.querySelector('#pick-place'))
  expect(rowNames(comp)).toEqual(['罗湖区', '福田区'])
  await tapNode(placeRow(comp, '福田区').name)
  expect(rowNames(comp)).toEqual(['园岭街道'])
  await tapNode(placeRow(comp, '园岭街道').name)
  expect(rowNames(comp)).toEqual(['百花社区', '红荔社区'])
  expect(texts(comp, '.crumb')).toEqual(['全部区', '福田区', '园岭街道'])
  // A community has nothing inside: a tap on its name chooses it.
  await tapNode(placeRow(comp, '百花社区').name)
  expect([placeRow(comp, '百花社区').pick.dom.textContent.trim()]).toEqual(['已选'])
  expect(texts(comp, '#group-divisions .choice')).toEqual(['立新社区', '东门街道', '罗湖区', '百花社区'])
  expect(texts(comp, '#group-divisions .choice.on')).toEqual(['百花社区'])
  // Back to the top by the trail.
  await tapNode(comp.querySelectorAll('.crumb')[0])
  expect(rowNames(comp)).toEqual(['罗湖区', '福田区'])
  const [event] = await save(comp)
  expect(event.detail.criteria.divisions).toEqual(['440304001004'])
})

test('a whole street is chosen with its 选择 button; a place already offered is the same choice, not a second one', async () => {
  const comp = editor(null)
  await tapNode(comp.querySelector('#pick-place'))
  await tapNode(placeRow(comp, '罗湖区').name)
  expect(rowNames(comp)).toEqual(['桂园街道', '东门街道'])
  await tapNode(placeRow(comp, '桂园街道').pick)
  // 东门街道 is the resident's own street, already a choice above: the picker marks that choice.
  await tapNode(placeRow(comp, '东门街道').pick)
  expect(texts(comp, '#group-divisions .choice')).toEqual(['立新社区', '东门街道', '罗湖区', '桂园街道'])
  expect(texts(comp, '#group-divisions .choice.on')).toEqual(['东门街道', '桂园街道'])
  // A second tap takes it back, in the picker or on the choice.
  await tapNode(placeRow(comp, '桂园街道').pick)
  expect(texts(comp, '#group-divisions .choice.on')).toEqual(['东门街道'])
  await tapChoice(comp, 'divisions', '东门街道')
  expect([placeRow(comp, '东门街道').pick.dom.textContent.trim()]).toEqual(['选择'])
  await tapNode(comp.querySelector('.close-picker'))
  expect(comp.querySelector('#place-picker')).toBeUndefined()
  const [event] = await save(comp)
  expect(event.detail.criteria.divisions).toEqual([])
})

test('search by name finds a place at any level and says where it is', async () => {
  const comp = editor(null)
  await tapNode(comp.querySelector('#pick-place'))
  await search(comp, '湖贝')
  expect(rowNames(comp)).toEqual(['湖贝社区'])
  expect(placeRow(comp, '湖贝社区').where).toBe('罗湖区 东门街道')
  await tapNode(placeRow(comp, '湖贝社区').pick)
  await search(comp, '园')
  expect(rowNames(comp)).toEqual(['桂园街道', '园岭街道', '松园社区'])
  await search(comp, '南山')
  expect(rowNames(comp)).toEqual([])
  expect(texts(comp, '#place-picker .hint')).toEqual(['没有名称含“南山”的区域'])
  await search(comp, '')
  expect(rowNames(comp)).toEqual(['罗湖区', '福田区'])
  const [event] = await save(comp)
  expect(event.detail.criteria.divisions).toEqual(['440303003001'])
})

test('the picker tells a screen reader what each tap does, and is sized for care mode', async () => {
  const comp = editor(null)
  expect(aria(comp.querySelector('#pick-place'))).toEqual({ role: 'button', label: '选择其他区域，如父母所在社区或工作地' })
  await tapNode(comp.querySelector('#pick-place'))
  expect(aria(placeRow(comp, '福田区').name)).toEqual({ role: 'button', label: '查看福田区下的区域' })
  // Every control of the picker is a touch target that care mode enlarges (--tap-min, see care.test.js).
  ;['#place-search', '.crumb', '.place-name', '.place-pick', '.close-picker'].forEach(selector => {
    const all = comp.querySelectorAll(selector).length
    expect([selector, all > 0, comp.querySelectorAll(`${selector}.tap`).length]).toEqual([selector, true, all])
  })
  await search(comp, '百花')
  const row = placeRow(comp, '百花社区')
  expect(aria(row.name)).toEqual({ role: 'button', label: '选择福田区 园岭街道 百花社区' })
  await tapNode(row.pick)
  expect(aria(placeRow(comp, '百花社区').pick)).toEqual({ role: 'button', label: '取消选择福田区 园岭街道 百花社区' })
  expect(boundAttr(comp.querySelector('#place-search'), 'ariaLabel')).toBe('按名称找区域')
})

test('without the options\' divisions there is no picker', () => {
  const sections = layout.editorSections(OPTIONS, { divisions: LOCATED })
  const comp = render('subscription-editor', { sections, frequencies: OPTIONS.frequencies, value: null })
  expect(comp.querySelector('#pick-place')).toBeUndefined()
})

test('a 21st choice in one criterion is refused at the tap that makes it, saying the limit', async () => {
  const many = Object.assign({}, OPTIONS, {
    topics: Array.from({ length: 21 }, (_, i) => ({ value: `t${i}`, label: `主题${i}` })),
  })
  const sections = layout.editorSections(many, { divisions: LOCATED })
  const comp = render('subscription-editor', { sections, frequencies: OPTIONS.frequencies, value: null, divisions: OPTIONS.divisions })
  for (let i = 0; i < 21; i += 1) await tapChoice(comp, 'topics', `主题${i}`)
  expect(texts(comp, '#group-topics .choice.on')).toHaveLength(20)
  expect(texts(comp, '#limit-error')).toEqual(['主题分类最多选择20项'])
  await tapChoice(comp, 'topics', '主题0') // taking one away is always possible, and clears the warning
  expect(comp.querySelector('#limit-error')).toBeUndefined()
  await tapChoice(comp, 'topics', '主题20')
  const [event] = await save(comp)
  expect(event.detail.criteria.topics).toHaveLength(20)
  expect(event.detail.criteria.topics).toContain('t20')
})
