/** @jest-environment jsdom */
const { render, listen, texts, simulate } = require('./helpers')

const ITEMS = [
  { id: 109, name: '李氏儿科诊所', category_name: '诊所', address: '深圳市罗湖区东门街道立新路273号', phone: '0755-25289417', open_now: false, distance_m: 71, hall_id: null },
  { id: 31, name: '城东社区健康服务中心', category_name: '社区健康服务中心', address: '东门中路2541号', phone: '', open_now: true, distance_m: 322, hall_id: null },
  { id: 1, name: '罗湖区行政服务大厅', category_name: '区行政服务大厅', address: '文锦中路1008号', phone: '0755-25666345', open_now: true, distance_m: 1480, hall_id: 1 },
]

test('rows keep the server\'s nearest-first order with readable distances and states', async () => {
  const comp = render('marker-list', { items: ITEMS })
  expect(texts(comp, '.name')).toEqual(['李氏儿科诊所', '城东社区健康服务中心', '罗湖区行政服务大厅'])
  expect(texts(comp, '.distance')).toEqual(['71米', '322米', '1.5公里'])
  expect(texts(comp, '.state')).toEqual(['休息中', '营业中', '营业中'])
  expect(texts(comp, '.bookable')).toEqual(['可预约'])
  // Only places with a phone number offer the call button.
  expect(comp.querySelectorAll('.call')).toHaveLength(2)
})

test('tapping a row selects that place, tapping 电话 asks to call without opening it', async () => {
  const comp = render('marker-list', { items: ITEMS })
  const events = listen(comp, 'select', 'call')
  comp.querySelectorAll('.row')[1].dispatchEvent('tap')
  await simulate.sleep(0)
  comp.querySelectorAll('.call')[1].dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events).toEqual([{ name: 'select', detail: { id: 31 } }, { name: 'call', detail: { phone: '0755-25666345' } }])
})

test('an empty list says so, and new items replace the old ones', async () => {
  const comp = render('marker-list', { items: [] })
  expect(texts(comp, '.empty')).toEqual(['附近暂无服务点'])
  comp.setData({ items: ITEMS.slice(2) })
  expect(texts(comp, '.name')).toEqual(['罗湖区行政服务大厅'])
  expect(comp.querySelector('.empty')).toBeUndefined()
})
