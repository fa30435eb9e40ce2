"""UN/EDIFACT syntax (ISO 9735), for any message: the bounded tokenizer (`tokenizer`), the
service segments around a message (`envelope`), reading data elements (`values`) and DTM
dates (`dates`), and writing segments and interchanges (`writer`).

What a message means is its reader's or writer's business: CUSDEC declarations in
clearway.declarations.formats, CUSRES responses in clearway.notifications.cusres. This
package imports nothing from Clearway's domains (only the shared coded issue of
clearway.errors), so both can stand on it.
"""
