"""Copies of the GB 18218-2018 tables read at run time (see SOURCES.md); a package so that wheels ship them."""
