"""Official Vietnamese documents, laid out once for every document the services write.

``bodies`` says who issues a document (the issuing body, its parent, symbol, layout, signer and
recipients: configuration); ``wording`` writes its number, place and date the way Vietnamese
documents do; ``page`` sets up an A4 document and its parts; ``heading`` and ``closing`` write
the header table, the title, "Nơi nhận" and the signing block. Two layouts: the Party's
(Hướng dẫn 36-HD/VPTW) for Party bodies and their steering committees, the state's (Nghị định
30/2020/NĐ-CP) for People's Committees and other state bodies.
"""
