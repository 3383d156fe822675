// Consent for WeChat subscribe messages: ask for the templates the server lists (GET
// /api/v1/push/templates) and send what the resident answered to POST /api/v1/push/grants.
const api = require('./api')
const E = require('./endpoints')

// WeChat shows at most three templates in one request.
const MAX_PER_REQUEST = 3
const BOOKING_PURPOSES = ['booking_reminder', 'booking_confirmed', 'booking_cancelled', 'booking_rescheduled']
// A followed document or notice, and the daily or weekly digest.
const FEED_PURPOSES = ['document_published']
const ANSWERS = new Set(['accept', 'reject', 'ban'])

/** The template ids for these purposes, in the purposes' order, at most three. */
function templateIds(templates, purposes) {
  const ids = []
  purposes.forEach(purpose => {
    const found = (templates || []).find(t => t.purpose === purpose)
    if (found && !ids.includes(found.id)) ids.push(found.id)
  })
  return ids.slice(0, MAX_PER_REQUEST)
}

/** The kind ('one_time' or 'long_term') of the template for a purpose, '' when none is configured. */
function kindOf(templates, purpose) {
  const found = (templates || []).find(t => t.purpose === purpose)
  return found ? found.kind : ''
}

/** Load the server's templates (no login needed). */
function loadTemplates() {
  return api.request(E.pushTemplates)
}

/**
 * Ask the resident. Call it straight from a tap handler: WeChat only shows the dialog for a tap.
 * Resolves with {templateId: 'accept' | 'reject' | 'ban'}; never rejects (booking goes on regardless).
 */
function ask(tmplIds) {
  if (!tmplIds || !tmplIds.length || typeof wx.requestSubscribeMessage !== 'function') return Promise.resolve({})
  return new Promise(resolve => {
    wx.requestSubscribeMessage({
      tmplIds,
      success: res => {
        const results = {}
        // The answer also carries errMsg, and 'filter' for templates WeChat hid; only answers count.
        tmplIds.forEach(id => { if (ANSWERS.has(res[id])) results[id] = res[id] })
        resolve(results)
      },
      fail: () => resolve({}),
    })
  })
}

/** Send the answers to the server, which spends one accepted one-time template per message. */
async function record(results) {
  if (!Object.keys(results).length) return []
  return api.request(E.pushGrants, { data: { results } })
}

module.exports = { templateIds, kindOf, loadTemplates, ask, record, BOOKING_PURPOSES, FEED_PURPOSES, MAX_PER_REQUEST }
