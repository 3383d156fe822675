// The server's OpenAPI document, built from the app by scripts/openapi.py with the project's virtualenv
// (null when there is none; the contract tests then skip outside CI and fail in it).
const fs = require('fs')
const path = require('path')
const { execFileSync } = require('child_process')

const ROOT = path.join(__dirname, '..', '..')
const REPO = path.join(ROOT, '..')
const IN_CI = /^(1|true)$/i.test(process.env.CI || '')

function python() {
  const candidates = [process.env.BIANMIN_PYTHON, path.join(REPO, '.venv', 'bin', 'python')].filter(Boolean)
  return candidates.find(p => fs.existsSync(p)) || null
}

function openapi() {
  const bin = python()
  if (!bin) return null
  const out = execFileSync(bin, [path.join(ROOT, 'scripts', 'openapi.py')], {
    cwd: REPO, env: Object.assign({}, process.env, { PYTHONPATH: REPO }), maxBuffer: 64 * 1024 * 1024, timeout: 120000,
  })
  return JSON.parse(out.toString('utf8'))
}

/** True when the document is there; outside CI a missing virtualenv skips the test with a warning. */
function needsServer(doc) {
  if (doc) return true
  if (IN_CI) throw new Error('the project virtualenv (.venv) is needed to build the OpenAPI document: run make test')
  console.warn('skipped: no .venv/bin/python (set BIANMIN_PYTHON) to build the server\'s OpenAPI document')
  return false
}

module.exports = { ROOT, REPO, openapi, needsServer }
